package io.github.erlangspring.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.junit.jupiter.api.Test;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.list;
import static io.github.erlangspring.node.TestTerms.num;
import static io.github.erlangspring.node.TestTerms.tuple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link GenServerProcess} without {@code erl}: how it applies the callbacks' {@link GenResult}s
 * and answers {@code sys} requests, seen through the process's replies and exit. (What the replies
 * look like on the wire, and that real {@code sys} and {@code gen_server} accept them, is
 * {@link GenServerTests}.)
 */
class GenServerProcessTests {

	private static final OtpErlangPid SELF = new OtpErlangPid("java@host", 1, 0, 1);

	private static final OtpErlangPid CALLER = new OtpErlangPid("erl@host", 42, 0, 3);

	private final Self self = new Self();

	private final Counter counter = new Counter();

	private final GenServerProcess process = new GenServerProcess(this.counter);

	private int refs;

	@Test
	void callsAreRepliedCastsAndInfoHandledInOrder() throws Exception {
		OtpErlangTuple from = call(atom("next"));
		this.process.handle(this.self, tuple(atom("$gen_cast"), atom("note")));
		this.process.handle(this.self, atom("tick"));
		OtpErlangTuple second = call(atom("next"));
		assertThat(this.self.replies).containsExactly(tuple(from, num(1)), tuple(second, num(2)));
		assertThat(this.counter.seen).containsExactly(atom("next"), atom("note"), atom("tick"), atom("next"));
		assertThat(this.process.handledMessages()).isEqualTo(4);
		assertThat(this.self.exit).isNull();
	}

	@Test
	void aCallThroughAnAliasIsRepliedWithItsFrom() throws Exception {
		OtpErlangRef ref = ref();
		OtpErlangTuple from = tuple(CALLER, GenMessage.From.aliasTag(ref));
		this.process.handle(this.self, tuple(atom("$gen_call"), from, atom("next")));
		assertThat(this.self.replies).containsExactly(tuple(from, num(1)));
	}

	@Test
	void stopRepliesFirstThenExitsWithTheReason() throws Exception {
		OtpErlangTuple from = call(tuple(atom("stop"), atom("done")));
		assertThat(this.self.replies).containsExactly(tuple(from, atom("bye")));
		assertThat(this.self.exit).isEqualTo(atom("done"));
		Self other = new Self();
		new GenServerProcess(this.counter).handle(other, tuple(atom("$gen_cast"), tuple(atom("stop"), atom("cast"))));
		assertThat(other.replies).isEmpty();
		assertThat(other.exit).isEqualTo(atom("cast"));
	}

	@Test
	void noReplyLeavesTheCallToBeAnsweredLaterAndNullIsAnError() throws Exception {
		call(atom("later"));
		assertThat(this.self.replies).isEmpty();
		assertThatIllegalStateException().isThrownBy(() -> call(atom("null")));
	}

	@Test
	void aSuspendedProcessAnswersOnlySysAndKeepsTheRestInOrderUntilResumed() throws Exception {
		assertThat(sys(atom("suspend"))).isEqualTo(atom("ok"));
		assertThat(this.process.isSuspended()).isTrue();
		OtpErlangTuple from = call(atom("next"));
		this.process.handle(this.self, tuple(atom("$gen_cast"), atom("note")));
		assertThat(this.counter.seen).isEmpty();
		assertThat(status().elementAt(3)).isInstanceOf(OtpErlangList.class);
		assertThat(((OtpErlangList) status().elementAt(3)).elementAt(1)).isEqualTo(atom("suspended"));
		int before = this.self.replies.size();
		assertThat(sys(atom("resume"))).isEqualTo(atom("ok"));
		assertThat(this.counter.seen).containsExactly(atom("next"), atom("note"));
		assertThat(this.self.replies).hasSize(before + 2).endsWith(tuple(from, num(1)));
	}

	@Test
	void getStateAndGetStatusHaveGenServersShapes() throws Exception {
		call(atom("next"));
		assertThat(sys(atom("get_state"))).isEqualTo(tuple(atom("count"), num(1)));
		OtpErlangTuple status = status();
		assertThat(status.elementAt(0)).isEqualTo(atom("status"));
		assertThat(status.elementAt(1)).isEqualTo(SELF);
		assertThat(status.elementAt(2)).isEqualTo(tuple(atom("module"), atom("gen_server")));
		OtpErlangList items = (OtpErlangList) status.elementAt(3);
		assertThat(items.arity()).isEqualTo(5);
		assertThat(items.elementAt(0)).isEqualTo(new OtpErlangList());
		assertThat(items.elementAt(1)).isEqualTo(atom("running"));
		assertThat(items.elementAt(2)).isEqualTo(SELF);
		OtpErlangList misc = (OtpErlangList) items.elementAt(4);
		assertThat(misc.elementAt(0)).isEqualTo(tuple(atom("header"), new OtpErlangString("Status for generic server counter")));
		OtpErlangList data = (OtpErlangList) ((OtpErlangTuple) misc.elementAt(1)).elementAt(1);
		assertThat(data.elementAt(0)).isEqualTo(tuple(new OtpErlangString("Status"), atom("running")));
		assertThat(data.elementAt(3)).isEqualTo(tuple(new OtpErlangString("Extra"), num(9)));
		assertThat(misc.elementAt(2)).isEqualTo(tuple(atom("data"),
				list(tuple(new OtpErlangString("State"), tuple(atom("count"), num(1))))));
	}

	@Test
	void statisticsCountMessagesInAndOut() throws Exception {
		assertThat(sys(tuple(atom("debug"), tuple(atom("statistics"), atom("get")))))
			.isEqualTo(tuple(atom("ok"), atom("no_statistics")));
		assertThat(sys(tuple(atom("debug"), tuple(atom("statistics"), atom("true"))))).isEqualTo(atom("ok"));
		call(atom("next"));
		this.process.handle(this.self, atom("tick"));
		OtpErlangTuple stats = (OtpErlangTuple) sys(tuple(atom("debug"), tuple(atom("statistics"), atom("get"))));
		OtpErlangList entries = (OtpErlangList) stats.elementAt(1);
		assertThat(entries.elementAt(3)).isEqualTo(tuple(atom("messages_in"), num(2)));
		assertThat(entries.elementAt(4)).isEqualTo(tuple(atom("messages_out"), num(1)));
		assertThat(sys(tuple(atom("debug"), atom("no_debug")))).isEqualTo(atom("ok"));
		assertThat(sys(tuple(atom("debug"), tuple(atom("trace"), atom("true"))))).isEqualTo(atom("unknown_debug"));
	}

	@Test
	void replaceStateIsRefusedUnknownRequestsAnsweredAndTerminateExits() throws Exception {
		assertThat(sys(tuple(atom("replace_state"), atom("fun"))))
			.isEqualTo(tuple(atom("error"), tuple(atom("not_supported"), atom("replace_state"))));
		assertThat(sys(atom("what"))).isEqualTo(tuple(atom("error"), tuple(atom("unknown_system_msg"), atom("what"))));
		assertThat(this.self.exit).isNull();
		assertThat(sys(tuple(atom("terminate"), atom("going")))).isEqualTo(atom("ok"));
		assertThat(this.self.exit).isEqualTo(atom("going"));
		this.process.exited(this.self, atom("going"));
		assertThat(this.counter.terminated).isEqualTo(atom("going"));
	}

	@Test
	void changeCodeIsOkWhileSuspendedAsGenServersDefaultCodeChangeAndUnknownWhileRunning() throws Exception {
		OtpErlangTuple changeCode = tuple(atom("change_code"), atom("counter"), atom("undefined"), list());
		assertThat(sys(changeCode)).isEqualTo(tuple(atom("error"), tuple(atom("unknown_system_msg"), changeCode)));
		call(atom("next"));
		assertThat(sys(atom("suspend"))).isEqualTo(atom("ok"));
		assertThat(sys(changeCode)).isEqualTo(atom("ok"));
		assertThat(sys(atom("resume"))).isEqualTo(atom("ok"));
		assertThat(sys(atom("get_state"))).isEqualTo(tuple(atom("count"), num(1)));
	}

	private OtpErlangTuple call(OtpErlangObject request) throws Exception {
		OtpErlangTuple from = tuple(CALLER, ref());
		this.process.handle(this.self, tuple(atom("$gen_call"), from, request));
		return from;
	}

	private OtpErlangObject sys(OtpErlangObject request) throws Exception {
		OtpErlangTuple from = tuple(CALLER, ref());
		int before = this.self.replies.size();
		this.process.handle(this.self, tuple(atom("system"), from, request));
		// the answer to sys comes first (a resume then handles what it kept)
		assertThat(this.self.replies).hasSizeGreaterThan(before);
		OtpErlangTuple reply = this.self.replies.get(before);
		assertThat(reply.elementAt(0)).isEqualTo(from);
		return reply.elementAt(1);
	}

	private OtpErlangTuple status() throws Exception {
		return (OtpErlangTuple) sys(atom("get_status"));
	}

	private OtpErlangRef ref() {
		return new OtpErlangRef("erl@host", new int[] { ++this.refs, 0, 0 }, 3);
	}

	/** Counts on {@code next}; notes every request; stops on {@code {stop, R}}. */
	private static final class Counter implements GenServer {

		final List<OtpErlangObject> seen = new ArrayList<>();

		long count;

		OtpErlangObject terminated;

		@Override
		public GenResult handleCall(Mailbox self, OtpErlangObject request, GenMessage.From from) {
			this.seen.add(request);
			if (request instanceof OtpErlangTuple stop && stop.arity() == 2) {
				return GenResult.stop(stop.elementAt(1), atom("bye"));
			}
			if (request.equals(atom("later"))) {
				return GenResult.noReply();
			}
			if (request.equals(atom("null"))) {
				return null;
			}
			return GenResult.reply(num(++this.count));
		}

		@Override
		public GenResult.Async handleCast(Mailbox self, OtpErlangObject request) {
			this.seen.add(request);
			if (request instanceof OtpErlangTuple stop && stop.arity() == 2) {
				return GenResult.stop(stop.elementAt(1));
			}
			return GenResult.noReply();
		}

		@Override
		public GenResult.Async handleInfo(Mailbox self, OtpErlangObject message) {
			this.seen.add(message);
			return GenResult.noReply();
		}

		@Override
		public void terminate(Mailbox self, OtpErlangObject reason) {
			this.terminated = reason;
		}

		@Override
		public OtpErlangObject systemState() {
			return tuple(atom("count"), num(this.count));
		}

		@Override
		public List<OtpErlangTuple> statusData() {
			return List.of(tuple(new OtpErlangString("Extra"), num(9)));
		}

	}

	/** The process as the behaviour sees it: what it replied, and how it exited. */
	private static final class Self implements Mailbox {

		final List<OtpErlangTuple> replies = new ArrayList<>();

		OtpErlangObject exit;

		@Override
		public OtpErlangPid self() {
			return SELF;
		}

		@Override
		public Optional<String> name() {
			return Optional.of("counter");
		}

		@Override
		public void reply(OtpErlangObject from, OtpErlangObject reply) {
			this.replies.add(tuple(from, reply));
		}

		@Override
		public boolean isAlive() {
			return this.exit == null;
		}

		@Override
		public void close(OtpErlangObject reason) {
			this.exit = reason;
		}

		@Override
		public void close() {
			close(atom("normal"));
		}

		@Override
		public void send(OtpErlangPid to, OtpErlangObject message) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void send(String name, String node, OtpErlangObject message) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void failCall(OtpErlangObject from, OtpErlangObject reason) {
			throw new UnsupportedOperationException();
		}

		@Override
		public OtpErlangObject receive() {
			throw new UnsupportedOperationException();
		}

		@Override
		public OtpErlangObject receive(Duration timeout) {
			throw new UnsupportedOperationException();
		}

		@Override
		public int queueSize() {
			return 0;
		}

		@Override
		public long droppedMessages() {
			return 0;
		}

		@Override
		public void link(OtpErlangPid other) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void unlink(OtpErlangPid other) {
			throw new UnsupportedOperationException();
		}

		@Override
		public OtpErlangRef monitor(OtpErlangPid process) {
			throw new UnsupportedOperationException();
		}

		@Override
		public OtpErlangRef monitor(String name, String node) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void demonitor(OtpErlangRef ref) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void exit(OtpErlangPid to, OtpErlangObject reason) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void trapExits(boolean trap) {
			throw new UnsupportedOperationException();
		}

	}

}
