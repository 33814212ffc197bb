package io.github.erlangspring.node;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.num;
import static io.github.erlangspring.node.TestTerms.q;
import static io.github.erlangspring.node.TestTerms.tuple;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link GenServer} spawned as a {@link GenServerProcess}, from a real {@code erl}: it is a
 * {@code gen_server} to Erlang: {@code gen_server:call} (through an alias, as OTP 24+ calls) and
 * a hand-made {@code $gen_call} with a plain reference tag, {@code gen_server:cast},
 * {@code {stop, ...}} results, a crash seen by the caller, and {@code sys}.
 */
class GenServerTests {

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

	/** {@code next} counts, {@code {stop, R}} stops, {@code crash} throws; casts are noted. */
	static final class Counter implements GenServer {

		final List<OtpErlangObject> notes = new CopyOnWriteArrayList<>();

		final CompletableFuture<OtpErlangObject> terminated = new CompletableFuture<>();

		long count;

		@Override
		public GenResult handleCall(Mailbox self, OtpErlangObject request, GenMessage.From from) {
			if (request instanceof OtpErlangTuple stop && stop.arity() == 2) {
				return GenResult.stop(stop.elementAt(1), atom("stopping"));
			}
			if (request.equals(atom("crash"))) {
				throw new IllegalStateException("crashed on purpose");
			}
			return GenResult.reply(new OtpErlangLong(++this.count));
		}

		@Override
		public GenResult.Async handleCast(Mailbox self, OtpErlangObject request) {
			this.notes.add(request);
			return GenResult.noReply();
		}

		@Override
		public void terminate(Mailbox self, OtpErlangObject reason) {
			this.terminated.complete(reason);
		}

		@Override
		public OtpErlangObject systemState() {
			return tuple(atom("count"), num(this.count));
		}

	}

	private static String start(String name, Counter counter) {
		node.spawn(new GenServerProcess(counter), SpawnOptions.DEFAULT.withName(name));
		return "{" + name + ", " + q(node.name()) + "}";
	}

	@Test
	void erlangCallsAndCastsItAsAGenServerWithAliasAndPlainTags() {
		Counter counter = new Counter();
		String server = start("esb_gen_counter", counter);
		assertThat(peer.eval("gen_server:call(" + server + ", next, 5000)")).isEqualTo(num(1));
		// the pre-OTP-24 shape: a plain reference as the tag, the reply {Ref, Reply} to the pid
		assertThat(peer.eval("Ref = make_ref(), " + server + " ! {'$gen_call', {self(), Ref}, next}, "
				+ "receive {Ref, R} -> R after 5000 -> timeout end")).isEqualTo(num(2));
		assertThat(peer.eval("[gen_server:cast(" + server + ", N) || N <- [a, b, c]], gen_server:call(" + server
				+ ", next, 5000)")).isEqualTo(num(3));
		assertThat(counter.notes).containsExactly(atom("a"), atom("b"), atom("c"));
	}

	@Test
	void stopRepliesThenExitsAndACrashReachesTheCaller() throws Exception {
		Counter stopping = new Counter();
		String server = start("esb_gen_stopping", stopping);
		assertThat(peer.eval("Ref = monitor(process, " + server + "), R = gen_server:call(" + server
				+ ", {stop, finished}, 5000), receive {'DOWN', Ref, process, _, Why} -> {R, Why} after 5000 -> timeout end"))
			.isEqualTo(tuple(atom("stopping"), atom("finished")));
		assertThat(stopping.terminated.get(5, TimeUnit.SECONDS)).isEqualTo(atom("finished"));

		Counter crashing = new Counter();
		String other = start("esb_gen_crashing", crashing);
		assertThat(peer.eval("{'EXIT', {{Class, _}, {gen_server, call, _}}} = (catch gen_server:call(" + other
				+ ", crash, 5000)), Class")).isEqualTo(atom("java.lang.IllegalStateException"));
	}

	@Test
	void sysGetStateGetStatusSuspendResumeAndTerminateWorkFromErlang() throws Exception {
		Counter counter = new Counter();
		String server = start("esb_gen_sys", counter);
		peer.eval("gen_server:call(" + server + ", next, 5000)");
		assertThat(peer.eval("sys:get_state(" + server + ", 5000)")).isEqualTo(tuple(atom("count"), num(1)));
		assertThat(peer.eval("{status, P, {module, M}, [_, S, _, _, Misc]} = sys:get_status(" + server + ", 5000), "
				+ "[St] = [X || {data, [{\"State\", X}]} <- Misc], {is_pid(P), node(P), M, S, St}"))
			.isEqualTo(tuple(atom("true"), atom(node.name()), atom("gen_server"), atom("running"),
					tuple(atom("count"), num(1))));

		assertThat(peer.eval("sys:suspend(" + server + ", 5000)")).isEqualTo(atom("ok"));
		peer.eval("[gen_server:cast(" + server + ", N) || N <- [1, 2, 3]], ok");
		assertThat(peer.eval("catch gen_server:call(" + server + ", next, 300)").toString()).contains("timeout");
		assertThat(counter.notes).isEmpty();
		assertThat(peer.eval("sys:resume(" + server + ", 5000)")).isEqualTo(atom("ok"));
		// the call that timed out was handled on resume (count 2), then this one
		assertThat(peer.eval("gen_server:call(" + server + ", next, 5000)")).isEqualTo(num(3));
		assertThat(counter.notes).containsExactly(num(1), num(2), num(3));

		assertThat(peer.eval("Ref = monitor(process, " + server + "), ok = sys:terminate(" + server
				+ ", going, 5000), receive {'DOWN', Ref, process, _, R} -> R after 5000 -> timeout end"))
			.isEqualTo(atom("going"));
		assertThat(counter.terminated.get(5, TimeUnit.SECONDS)).isEqualTo(atom("going"));
	}

}
