package io.github.erlangspring.node;

import java.math.BigInteger;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangBitstr;
import com.ericsson.otp.erlang.OtpErlangDouble;
import com.ericsson.otp.erlang.OtpErlangExternalFun;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangMap;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class MessagingTests {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	@RegisterExtension
	static final JavaNodes java = new JavaNodes();

	static ErlangPeer peer;

	static ErlangNode node;

	@BeforeAll
	static void startNodes() {
		peer = erlang.start();
		node = java.start(peer);
	}

	@Test
	void pingsBothWays() {
		assertThat(node.ping(peer.nodeName(), Duration.ofSeconds(5))).isTrue();
		assertThat(peer.eval("net_adm:ping('" + node.name() + "')")).isEqualTo(new OtpErlangAtom("pong"));
		assertThat(node.connectedNodes()).contains(peer.nodeName());
		assertThat(peer.eval("lists:member('" + node.name() + "', nodes(hidden))"))
			.isEqualTo(new OtpErlangAtom("true"));
	}

	@Test
	void pingOfAMissingNodeIsFalse() {
		assertThat(node.ping("nosuchnode_esb@127.0.0.1", Duration.ofSeconds(5))).isFalse();
	}

	@Test
	void erlangSendsEveryTermTypeToAJavaMailbox() throws Exception {
		try (Mailbox mailbox = node.createMailbox("inbox_types")) {
			String terms = "[atom, 'Quoted Atom', 42, -7, 123456789012345678901234567890, 3.25, <<\"bin\">>, "
					+ "<<1:3>>, \"charlist\", [], [1, [a, b]], {}, {a, {b, c}}, #{k => v, <<\"x\">> => [1]}, "
					+ "self(), make_ref(), [a | b], fun lists:reverse/1, true, 'hällo', <<\"ünicode\"/utf8>>]";
			peer.eval("[{inbox_types, '" + node.name() + "'} ! T || T <- " + terms + "], ok");
			OtpErlangObject[] received = new OtpErlangObject[21];
			for (int i = 0; i < received.length; i++) {
				received[i] = mailbox.receive(Duration.ofSeconds(5));
			}
			assertThat(received[0]).isEqualTo(new OtpErlangAtom("atom"));
			assertThat(received[1]).isEqualTo(new OtpErlangAtom("Quoted Atom"));
			assertThat(((OtpErlangLong) received[2]).longValue()).isEqualTo(42);
			assertThat(((OtpErlangLong) received[3]).longValue()).isEqualTo(-7);
			assertThat(((OtpErlangLong) received[4]).bigIntegerValue())
				.isEqualTo(new BigInteger("123456789012345678901234567890"));
			assertThat(((OtpErlangDouble) received[5]).doubleValue()).isEqualTo(3.25);
			assertThat(((OtpErlangBinary) received[6]).binaryValue()).isEqualTo("bin".getBytes());
			OtpErlangBitstr bits = (OtpErlangBitstr) received[7];
			assertThat(bits.binaryValue()).containsExactly(0b0010_0000);
			assertThat(bits.pad_bits()).isEqualTo(5);
			assertThat(((OtpErlangString) received[8]).stringValue()).isEqualTo("charlist");
			assertThat(received[9]).isEqualTo(new OtpErlangList());
			assertThat(received[10]).hasToString("[1,[a,b]]");
			assertThat(received[11]).isEqualTo(new OtpErlangTuple(new OtpErlangObject[0]));
			assertThat(received[12]).hasToString("{a,{b,c}}");
			OtpErlangMap map = (OtpErlangMap) received[13];
			assertThat(map.arity()).isEqualTo(2);
			assertThat(map.get(new OtpErlangAtom("k"))).isEqualTo(new OtpErlangAtom("v"));
			// [1] travels as STRING_EXT, as every list of bytes does
			assertThat(((OtpErlangString) map.get(new OtpErlangBinary("x".getBytes()))).stringValue().codePoints().toArray())
				.as("the value of <<\"x\">>").containsExactly(1);
			assertThat(((OtpErlangPid) received[14]).node()).isEqualTo(peer.nodeName());
			assertThat(((OtpErlangRef) received[15]).node()).isEqualTo(peer.nodeName());
			assertThat(((OtpErlangList) received[16]).getLastTail()).isEqualTo(new OtpErlangAtom("b"));
			OtpErlangExternalFun fun = (OtpErlangExternalFun) received[17];
			assertThat(fun.module).isEqualTo("lists");
			assertThat(fun.function).isEqualTo("reverse");
			assertThat(fun.arity).isEqualTo(1);
			assertThat(received[18]).isEqualTo(new OtpErlangAtom("true"));
			assertThat(received[19]).isEqualTo(new OtpErlangAtom("hällo"));
			assertThat(new String(((OtpErlangBinary) received[20]).binaryValue(), "UTF-8")).isEqualTo("ünicode");
			assertThat(mailbox.queueSize()).as("nothing beyond the 21 terms").isZero();
			// the BEAM itself judges the decoded terms: sent back, they are equal to what it sent
			peer.eval("esb_test:start_collector(collector_back)");
			for (int i : new int[] { 7, 13, 17 }) {
				mailbox.send("collector_back", peer.nodeName(), received[i]);
			}
			assertThat(peer.eval("esb_test:await(collector_back, 3, 5000) =:= "
					+ "[<<1:3>>, #{k => v, <<\"x\">> => [1]}, fun lists:reverse/1]"))
				.isEqualTo(new OtpErlangAtom("true"));
		}
	}

	@Test
	void javaSendsTermsThatErlangReceivesIntact() throws Exception {
		peer.eval("esb_test:start_collector(collector_types)");
		OtpErlangObject[] terms = { new OtpErlangAtom("hello"), new OtpErlangLong(Long.MAX_VALUE),
				new OtpErlangLong(new BigInteger("-98765432109876543210")), new OtpErlangDouble(-0.5),
				new OtpErlangBinary(new byte[] { 0, 1, 2, (byte) 255 }), new OtpErlangString("text"),
				new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("k"), new OtpErlangList() }),
				new OtpErlangMap(new OtpErlangObject[] { new OtpErlangAtom("a") },
						new OtpErlangObject[] { new OtpErlangLong(1) }) };
		try (Mailbox mailbox = node.createMailbox()) {
			for (OtpErlangObject term : terms) {
				mailbox.send("collector_types", peer.nodeName(), term);
			}
			mailbox.send("collector_types", peer.nodeName(), mailbox.self());
			OtpErlangObject received = peer.eval("esb_test:await(collector_types, 9, 5000)");
			assertThat(received).hasToString("[hello,9223372036854775807,-98765432109876543210,-0.5,#Bin<4>,"
					+ "\"text\",{k,[]},#{a => 1}," + mailbox.self() + "]");
			// messages between two processes keep their order: whatever was sent after the nine
			// terms (a duplicate, an extra frame) sits between them and this marker
			mailbox.send("collector_types", peer.nodeName(), new OtpErlangAtom("end_marker"));
			assertThat(peer.eval("esb_test:await(collector_types, 1, 5000)"))
				.as("the next message after the nine terms")
				.isEqualTo(new OtpErlangList(new OtpErlangAtom("end_marker")));
			assertThat(peer.eval("esb_test:take_all(collector_types)")).isEqualTo(new OtpErlangList());
		}
	}

	@Test
	void erlangReplyToJavaPidArrives() throws Exception {
		try (Mailbox mailbox = node.createMailbox()) {
			peer.eval("esb_test:start_collector(collector_echo)");
			mailbox.send("collector_echo", peer.nodeName(), mailbox.self());
			OtpErlangObject pid = peer.eval("[P] = esb_test:await(collector_echo, 1, 5000), P ! {pong, node()}, P");
			assertThat(pid).isEqualTo(mailbox.self());
			assertThat(mailbox.receive(Duration.ofSeconds(5)))
				.isEqualTo(new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangAtom("pong"),
						new OtpErlangAtom(peer.nodeName()) }));
		}
	}

	@Test
	void erlangGenServerCallsAJavaMailbox() throws Exception {
		try (Mailbox mailbox = node.createMailbox("java_server")) {
			var answer = peer.evalAsync("gen_server:call({java_server, '" + node.name() + "'}, {double, 21}, 5000)");
			OtpErlangTuple call = (OtpErlangTuple) mailbox.receive(Duration.ofSeconds(5));
			assertThat(call.elementAt(0)).isEqualTo(new OtpErlangAtom("$gen_call"));
			long n = ((OtpErlangLong) ((OtpErlangTuple) call.elementAt(2)).elementAt(1)).longValue();
			mailbox.reply(call.elementAt(1), new OtpErlangLong(n * 2));
			assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo(new OtpErlangLong(42));
		}
	}

	@Test
	void erlangGenServerCallToAMissingJavaProcessFailsWithNoproc() {
		assertThat(peer.eval("try gen_server:call({nobody_here, '" + node.name() + "'}, x, 5000) "
				+ "catch exit:{R, _} -> R end")).isEqualTo(new OtpErlangAtom("noproc"));
	}

	@Test
	void javaGenServerCallsAnErlangServer() throws Exception {
		peer.eval("esb_test:start_server(echo_server)");
		OtpErlangObject reply = node
			.call("echo_server", peer.nodeName(), tuple(new OtpErlangAtom("echo"), new OtpErlangString("hi")),
					Duration.ofSeconds(5))
			.get(10, TimeUnit.SECONDS);
		assertThat(reply).isEqualTo(new OtpErlangString("hi"));
		OtpErlangPid pid = (OtpErlangPid) peer.eval("whereis(echo_server)");
		assertThat(node.call(pid, new OtpErlangAtom("count"), Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS))
			.isEqualTo(new OtpErlangLong(1));
	}

	@Test
	void javaGenServerCallDistinguishesNoprocTimeoutAndExit() throws Exception {
		peer.eval("esb_test:start_server(slow_server)");
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> node.call("no_such_server", peer.nodeName(), new OtpErlangAtom("x"), Duration.ofSeconds(5))
				.get(10, TimeUnit.SECONDS))
			.withCauseInstanceOf(ErlangNoProcessException.class);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> node
				.call("slow_server", peer.nodeName(), tuple(new OtpErlangAtom("sleep"), new OtpErlangLong(2000)),
						Duration.ofMillis(200))
				.get(10, TimeUnit.SECONDS))
			.withCauseInstanceOf(ErlangTimeoutException.class);
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> node.call("slow_server", peer.nodeName(), new OtpErlangAtom("crash"), Duration.ofSeconds(5))
				.get(10, TimeUnit.SECONDS))
			.withCauseInstanceOf(ErlangRemoteException.class)
			.withMessageContaining("crashed");
	}

	@Test
	void javaCastReachesAnErlangServer() throws Exception {
		peer.eval("esb_test:start_server(cast_server), esb_test:start_collector(cast_seen)");
		OtpErlangPid collector = (OtpErlangPid) peer.eval("whereis(cast_seen)");
		node.cast("cast_server", peer.nodeName(),
				tuple(new OtpErlangAtom("notify"), collector, new OtpErlangAtom("cast_arrived")));
		assertThat(peer.eval("esb_test:await(cast_seen, 1, 5000)")).hasToString("[cast_arrived]");
	}

	@Test
	void javaNodeCallsItsOwnMailboxLikeAGenServer() throws Exception {
		try (Mailbox mailbox = node.createMailbox("self_server")) {
			var answer = node.call("self_server", node.name(), new OtpErlangAtom("ping"), Duration.ofSeconds(5));
			OtpErlangTuple call = (OtpErlangTuple) mailbox.receive(Duration.ofSeconds(5));
			mailbox.reply(call.elementAt(1), new OtpErlangAtom("pong"));
			assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo(new OtpErlangAtom("pong"));
		}
	}

	static OtpErlangTuple tuple(OtpErlangObject... elements) {
		return new OtpErlangTuple(elements);
	}

}
