package io.github.erlangspring.autoconfigure;

import java.time.Duration;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import io.github.erlangspring.bridge.SpringBridgeLoader;
import io.github.erlangspring.state.ErlangStateFunctions;
import io.github.erlangspring.state.StateBackend;
import io.github.erlangspring.state.StateOperations;
import io.github.erlangspring.state.StateTemplate;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * {@link ErlangStateAutoConfiguration} and {@link ErlangBridgeAutoConfiguration}: backend choice,
 * back-off, exposure to Erlang, and loading spring_bridge onto the nodes that need it.
 */
class ErlangStateAutoConfigurationTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static ErlangPeer peer;

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(ErlangAutoConfiguration.class, ErlangBridgeAutoConfiguration.class, ErlangStateAutoConfiguration.class));

	@BeforeAll
	static void start() {
		ErlangRuntime.ensureEpmd();
		peer = erlang.start();
	}

	private static String[] node(String... more) {
		String[] properties = new String[more.length + 2];
		properties[0] = "erlang.node=" + ErlangPeer.uniqueAlive("esb_stac") + "@127.0.0.1";
		properties[1] = "erlang.cookie=" + peer.cookie();
		System.arraycopy(more, 0, properties, 2, more.length);
		return properties;
	}

	private static String javaNode(String[] properties) {
		return properties[0].substring("erlang.node=".length());
	}

	@Test
	void withoutANodeThereIsNoState() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(StateOperations.class)
			.doesNotHaveBean(SpringBridgeLoader.class));
	}

	@Test
	void localIsTheDefaultAndErlangReachesItAsSpringState() {
		String[] properties = node();
		this.runner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasSingleBean(StateTemplate.class).hasSingleBean(ErlangStateFunctions.class);
			StateTemplate state = context.getBean(StateTemplate.class);
			assertThat(state.getBackend().getClass().getSimpleName()).isEqualTo("LocalStateBackend");
			assertThat(state.incr("views")).isEqualTo(1);
			assertThat(peer.eval("erpc:call('" + javaNode(properties) + "', spring_state, incr, [<<\"views\">>])"))
				.isEqualTo(new OtpErlangLong(2));
			assertThat(state.get("views")).isEqualTo(2L);
		});
	}

	@Test
	void theModuleNameIsConfigurableAndExposureCanBeTurnedOff() {
		String[] renamed = node("erlang.state.module=shared");
		this.runner.withPropertyValues(renamed).run((context) -> {
			context.getBean(StateOperations.class).set("k", "v");
			assertThat(peer.eval("erpc:call('" + javaNode(renamed) + "', shared, get, [<<\"k\">>])").toString())
				.isEqualTo("#Bin<1>");
		});
		String[] hidden = node("erlang.state.expose=false");
		this.runner.withPropertyValues(hidden).run((context) -> {
			assertThat(context).hasSingleBean(StateOperations.class).doesNotHaveBean(ErlangStateFunctions.class);
			assertThat(peer.eval("rpc:call('" + javaNode(hidden) + "', spring_state, get, [<<\"k\">>])").toString())
				.startsWith("{badrpc,{'EXIT',{undef,");
		});
	}

	@Test
	void etsKeepsTheStateInATableOnTheErlangNode() {
		this.runner.withPropertyValues(node("erlang.state.backend=ets", "erlang.state.node=" + peer.nodeName(),
				"erlang.state.table=esb_ac_table", "erlang.state.timeout=3s"))
			.run((context) -> {
				assertThat(context).hasSingleBean(SpringBridgeLoader.class);
				assertThat(context.getBean(SpringBridgeLoader.class).getNodes()).containsExactly(peer.nodeName());
				StateTemplate state = context.getBean(StateTemplate.class);
				assertThat(state.getBackend()).hasToString("ets table esb_ac_table on " + peer.nodeName());
				state.set("color", "green", Duration.ofMinutes(5));
				assertThat(peer.eval("[{_, V, _}] = ets:lookup(esb_ac_table, <<\"color\">>), V").toString())
					.isEqualTo("#Bin<5>");
			});
	}

	@Test
	void etsUsesTheDefaultPeerWhenNoStateNodeIsGiven() {
		this.runner.withPropertyValues(node("erlang.state.backend=ets", "erlang.default-peer=" + peer.nodeName(),
				"erlang.state.table=esb_ac_default"))
			.run((context) -> {
				context.getBean(StateOperations.class).incr("n");
				assertThat(peer.eval("ets:lookup_element(esb_ac_default, <<\"n\">>, 2)")).isEqualTo(new OtpErlangLong(1));
			});
	}

	@Test
	void etsWithoutAnyNodeFailsWithAnExplanation() {
		this.runner.withPropertyValues(node("erlang.state.backend=ets")).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(ErlangNodeStartException.class)
				.hasMessageContaining("erlang.state.backend is 'ets'");
			ErlangNodeStartException cause = (ErlangNodeStartException) org.springframework.core.NestedExceptionUtils
				.getRootCause(context.getStartupFailure());
			assertThat(cause.getAction()).contains("erlang.state.node");
		});
	}

	@Test
	void userBeansWin() {
		StateOperations mine = mock(StateOperations.class);
		this.runner.withPropertyValues(node()).withBean(StateOperations.class, () -> mine).run((context) -> {
			assertThat(context).doesNotHaveBean(StateTemplate.class);
			assertThat(context.getBean(StateOperations.class)).isSameAs(mine);
		});
		StateBackend backend = StateBackend.local(Duration.ofSeconds(5));
		this.runner.withPropertyValues(node()).withBean(StateBackend.class, () -> backend).run((context) -> {
			assertThat(context.getBean(StateTemplate.class).getBackend()).isSameAs(backend);
		});
	}

	@Test
	void stateCanBeTurnedOff() {
		this.runner.withPropertyValues(node("erlang.state.enabled=false"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(StateOperations.class)
				.doesNotHaveBean(StateBackend.class));
	}

	@Test
	void theBridgeIsLoadedOntoTheDefaultPeerWhenItConnects() {
		ErlangPeer fresh = erlang.peer().cookie(peer.cookie()).start();
		this.runner.withPropertyValues(node("erlang.default-peer=" + fresh.nodeName(), "erlang.connect=" + fresh.nodeName()))
			.run((context) -> {
				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				while (!fresh.eval("lists:keymember(spring_bridge, 1, application:which_applications())")
					.equals(new OtpErlangAtom("true"))) {
					assertThat(System.nanoTime()).as("spring_bridge started on connect").isLessThan(deadline);
					java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
				}
				assertThat(fresh.eval("spring_bridge:version()")).isEqualTo(new OtpErlangLong(io.github.erlangspring.bridge.SpringBridge.VERSION));
			});
		ErlangPeer untouched = erlang.peer().cookie(peer.cookie()).start();
		this.runner
			.withPropertyValues(node("erlang.default-peer=" + untouched.nodeName(), "erlang.connect=" + untouched.nodeName(),
					"erlang.bridge.auto-load=false"))
			.run((context) -> {
				assertThat(context).doesNotHaveBean(SpringBridgeLoader.class);
				assertThat(untouched.eval("code:is_loaded(spring_bridge)")).isEqualTo(new OtpErlangAtom("false"));
			});
	}

}
