package io.github.erlangspring.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import io.github.erlangspring.bridge.SpringBridgeLoader;
import io.github.erlangspring.convert.DefaultErlangConverter;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code ets} backend: a real ETS table on an Erlang node (which starts without
 * spring_bridge), owned by spring_bridge, shared with Erlang code reading it directly.
 */
class EtsStateBackendTests extends StateOperationsContract {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static final String TABLE = "esb_state_ets";

	static ErlangPeer peer;

	static ErlangNode node;

	static SpringBridgeLoader loader;

	static StateTemplate template;

	@BeforeAll
	static void start() {
		peer = erlang.start();
		node = startJavaNode(peer, "esb_state_ets");
		loader = new SpringBridgeLoader(node, Set.of(), Duration.ofSeconds(10));
		loader.start();
		template = new StateTemplate(
				StateBackend.ets(node, peer.nodeName(), TABLE, Duration.ofSeconds(5), loader::load),
				new DefaultErlangConverter());
	}

	@AfterAll
	static void stop() {
		if (loader != null) {
			loader.stop();
		}
		if (node != null) {
			node.close(Duration.ZERO);
		}
	}

	@Override
	StateTemplate template() {
		return template;
	}

	@Override
	ErlangPeer peer() {
		return peer;
	}

	@Override
	String erlangCall(String function, String args) {
		return "spring_bridge_state:" + function + "(" + TABLE + ", " + args + ")";
	}

	@Test
	void erlangCodeReadsAndWritesTheTableDirectly() {
		String key = key("direct");
		template.set(key, "from java");
		assertThat(peer.eval("[{K, V, infinity}] = ets:lookup(" + TABLE + ", " + bin(key) + "), {K, V}").toString())
			.isEqualTo("{#Bin<" + key.length() + ">,#Bin<9>}");
		peer.eval("ets:insert(" + TABLE + ", {" + bin(key) + ", 41, infinity})");
		assertThat(template.get(key)).isEqualTo(41L);
		peer.eval("ets:update_counter(" + TABLE + ", " + bin(key) + ", {2, 1})");
		assertThat(template.incr(key)).isEqualTo(43);
		assertThat(peer.eval("ets:lookup_element(" + TABLE + ", " + bin(key) + ", 2)")).isEqualTo(new OtpErlangLong(43));
		template.set(key, "expiring", Duration.ofMinutes(1));
		assertThat(peer.eval("[{_, _, At}] = ets:lookup(" + TABLE + ", " + bin(key) + "), "
				+ "At - erlang:monotonic_time(millisecond) > 59000")).isEqualTo(new OtpErlangAtom("true"));
	}

	@Test
	void theTableBelongsToSpringBridgeNotToItsCallers() {
		template.set(key("owner"), 1);
		assertThat(peer.eval("ets:info(" + TABLE + ", owner) =:= whereis(spring_bridge_server)"))
			.isEqualTo(new OtpErlangAtom("true"));
		assertThat(peer.eval("ets:info(" + TABLE + ", protection)")).isEqualTo(new OtpErlangAtom("public"));
		assertThat(peer.eval("lists:member(" + TABLE + ", spring_bridge:tables())")).isEqualTo(new OtpErlangAtom("true"));
	}

	@Test
	void getMultiOfAHundredKeysIsOneRoundTripLikeGet() {
		List<String> keys = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			keys.add(key("multi" + i));
			if (i % 2 == 0) {
				template.set(keys.get(i), i);
			}
		}
		long before = framesOut();
		template.get(keys.get(0));
		long afterGet = framesOut();
		assertThat(template.getMulti(keys)).hasSize(100).containsEntry(keys.get(2), 2L).containsEntry(keys.get(3), null);
		long afterMulti = framesOut();
		assertThat(afterMulti - afterGet).isEqualTo(afterGet - before).isPositive();
	}

	private static long framesOut() {
		return node.connections().get(peer.nodeName()).messagesOut();
	}

	@Test
	void loadsSpringBridgeOntoANodeThatLacksIt() {
		ErlangPeer fresh = erlang.peer().cookie(peer.cookie()).start();
		assertThat(fresh.eval("code:is_loaded(spring_bridge)")).isEqualTo(new OtpErlangAtom("false"));
		StateTemplate state = new StateTemplate(StateBackend.ets(node, fresh.nodeName(), "esb_fresh", Duration.ofSeconds(5),
				loader::load), new DefaultErlangConverter());
		assertThat(state.incr("visits")).isEqualTo(1);
		assertThat(fresh.eval("element(1, code:is_loaded(spring_bridge)) =:= file andalso "
				+ "lists:keymember(spring_bridge, 1, application:which_applications())"))
			.isEqualTo(new OtpErlangAtom("true"));
		assertThat(fresh.eval("spring_bridge_state:get(esb_fresh, <<\"visits\">>)")).isEqualTo(new OtpErlangLong(1));
	}

	@Test
	void withoutTheLoaderAMissingBridgeIsExplained() {
		ErlangPeer bare = erlang.peer().cookie(peer.cookie()).start();
		StateTemplate state = new StateTemplate(StateBackend.ets(node, bare.nodeName(), "esb_bare", Duration.ofSeconds(5),
				null), new DefaultErlangConverter());
		assertThatExceptionOfType(ErlangStateException.class).isThrownBy(() -> state.get("k"))
			.withMessageContaining("spring_bridge is not running there")
			.withMessageContaining(bare.nodeName());
	}

	@Test
	void startsAgainWhenTheErlangNodeRestarts() {
		ErlangPeer restarting = erlang.peer().cookie(peer.cookie()).start();
		StateTemplate state = new StateTemplate(StateBackend.ets(node, restarting.nodeName(), "esb_restart",
				Duration.ofSeconds(5), loader::load), new DefaultErlangConverter());
		assertThat(state.incr("n")).isEqualTo(1);
		assertThat(state.incr("n")).isEqualTo(2);
		restarting.kill();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (node.connectedNodes().contains(restarting.nodeName())) {
			assertThat(System.nanoTime()).as("connection to the killed node closed").isLessThan(deadline);
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
		}
		ErlangPeer restarted = restarting.restart();
		assertThat(restarted.eval("code:is_loaded(spring_bridge)")).isEqualTo(new OtpErlangAtom("false"));
		assertThat(state.incr("n")).as("a new node, a new table").isEqualTo(1);
	}

}
