package io.github.erlangspring.test;

import java.time.Duration;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ErlangPeerExtensionTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@Test
	void evaluatesOtpReleaseOnARealNode() {
		ErlangPeer peer = erlang.start();
		OtpErlangObject release = peer.eval("erlang:system_info(otp_release)");
		assertThat(release).isInstanceOf(OtpErlangString.class);
		assertThat(Integer.parseInt(((OtpErlangString) release).stringValue())).isGreaterThanOrEqualTo(25);
		assertThat(peer.eval("node()")).isEqualTo(new OtpErlangAtom(peer.nodeName()));
	}

	@Test
	void raisesErlangExceptionsAsEvalExceptions() {
		ErlangPeer peer = erlang.start();
		assertThatExceptionOfType(ErlangEvalException.class).isThrownBy(() -> peer.eval("1 div 0"))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(new OtpErlangAtom("badarith")));
	}

	@Test
	void twoNodesWithTheSameCookieConnect() {
		ErlangPeer first = erlang.start();
		ErlangPeer second = erlang.peer().cookie(first.cookie()).start();
		assertThat(first.eval("net_adm:ping('" + second.nodeName() + "')")).isEqualTo(new OtpErlangAtom("pong"));
	}

	@Test
	void nodesGetDistinctNamesAndCookies() {
		ErlangPeer first = erlang.start();
		ErlangPeer second = erlang.start();
		assertThat(first.nodeName()).isNotEqualTo(second.nodeName());
		assertThat(first.cookie()).isNotEqualTo(second.cookie());
		assertThat(first.eval("net_adm:ping('" + second.nodeName() + "')")).isEqualTo(new OtpErlangAtom("pang"));
	}

	@Test
	void killedNodeIsGoneAndCanRestart() {
		ErlangPeer peer = erlang.start();
		peer.kill();
		assertThat(peer.isAlive()).isFalse();
		ErlangPeer again = peer.restart();
		assertThat(again.nodeName()).isEqualTo(peer.nodeName());
		assertThat(again.eval("1 + 1", Duration.ofSeconds(10))).isEqualTo(new OtpErlangLong(2));
	}

	@Test
	void closeStopsTheEmulator() {
		ErlangPeer peer = erlang.start();
		peer.close();
		assertThat(peer.isAlive()).isFalse();
		assertThat(ProcessHandle.of(peer.pid())).isEmpty();
	}

}
