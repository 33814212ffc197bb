package io.github.erlangspring.state;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import io.github.erlangspring.convert.DefaultErlangConverter;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code local} backend: state in the Java node, which Erlang reads and updates with
 * {@code erpc:call(JavaNode, spring_state, ...)}.
 */
class LocalStateBackendTests extends StateOperationsContract {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static ErlangPeer peer;

	static ErlangNode node;

	static LocalStateBackend backend;

	static StateTemplate template;

	@BeforeAll
	static void start() {
		peer = erlang.start();
		node = startJavaNode(peer, "esb_state_local");
		backend = new LocalStateBackend(Duration.ofMillis(50));
		template = new StateTemplate(backend, new DefaultErlangConverter());
		node.setFunctionTable(new ErlangStateFunctions(backend, ErlangStateFunctions.DEFAULT_MODULE));
	}

	@AfterAll
	static void stop() {
		if (backend != null) {
			backend.close();
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
		return "erpc:call('" + node.name() + "', spring_state, " + function + ", [" + args + "])";
	}

	@Test
	void erlangUsesTheShortFormsAndPlainRpc() {
		String key = key("forms");
		String rpc = "rpc:call('" + node.name() + "', spring_state, ";
		assertThat(peer.eval(rpc + "incr, [" + bin(key) + "])")).isEqualTo(new OtpErlangLong(1));
		assertThat(peer.eval(rpc + "decr, [" + bin(key) + "])")).isEqualTo(new OtpErlangLong(0));
		assertThat(peer.eval(rpc + "decr, [" + bin(key) + ", 4])")).isEqualTo(new OtpErlangLong(-4));
		assertThat(peer.eval(rpc + "set, [" + bin(key) + ", x])")).isEqualTo(new OtpErlangAtom("ok"));
		assertThat(peer.eval(rpc + "incr, [" + bin(key) + "])").toString())
			.startsWith("{badrpc,{'EXIT',{{not_integer,");
		assertThat(peer.eval(rpc + "nope, [])").toString()).startsWith("{badrpc,{'EXIT',{undef,");
	}

	@Test
	void thePurgeDeletesExpiredEntries() {
		String key = key("purged");
		template.set(key, "v", Duration.ofMillis(20));
		assertThat(containsRaw(key)).isTrue();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		// only the purge removes it: nothing reads the key here
		while (containsRaw(key)) {
			assertThat(System.nanoTime()).as("purged within 5 s").isLessThan(deadline);
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
		}
	}

	private static boolean containsRaw(String key) {
		return backend.rawKeys().contains(key);
	}

}
