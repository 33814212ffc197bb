package io.github.erlangspring.node;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.tuple;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A thread sending in a loop leaves its frames queued and writes many per write (see
 * {@code DistConnection.BURST_NANOS}), from a real {@code erl}: what it sends arrives whole and in
 * order, and the end of its burst arrives although the thread then waits on something other than
 * the node: a plain thread's (written by a timer), and a process's that blocks before its
 * activation ends (written by the readers' periodic check).
 */
class SendBurstTests {

	private static final String SINK = "esb_burst_sink";

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
		// collects {n, I}; {report, To} tells To how many came and whether they came in order (1, 2,
		// ...), and starts again
		peer.eval("register(" + SINK + ", spawn(fun() -> Loop = fun Loop(Acc) -> receive {n, I} -> Loop([I | Acc]); "
				+ "{report, To} -> To ! {got, length(Acc), lists:reverse(Acc) =:= lists:seq(1, length(Acc))}, "
				+ "Loop([]) end end, Loop([]) end)), ok");
	}

	private static void sendBurst(Mailbox from, int count) {
		sendBurst(from, count, from);
	}

	private static void sendBurst(Mailbox from, int count, Mailbox reportTo) {
		for (int i = 1; i <= count; i++) {
			from.send(SINK, peer.nodeName(), tuple(atom("n"), new OtpErlangLong(i)));
		}
		from.send(SINK, peer.nodeName(), tuple(atom("report"), reportTo.self()));
	}

	private static OtpErlangObject collected(int count) {
		return tuple(atom("got"), new OtpErlangLong(count), atom("true"));
	}

	@Test
	void aBurstArrivesWholeAndInOrder() throws InterruptedException {
		Mailbox mailbox = node.createMailbox();
		for (int round = 0; round < 5; round++) {
			sendBurst(mailbox, 500);
			assertThat(mailbox.receive(Duration.ofSeconds(10))).isEqualTo(collected(500));
		}
	}

	@Test
	void theEndOfABurstLeavesWhileItsSenderWaitsOnSomethingElse() throws Exception {
		Mailbox mailbox = node.createMailbox();
		Semaphore go = new Semaphore(0);
		int rounds = 300;
		// Between bursts the sender waits on a semaphore, not in the node: only the writer task
		// that writes the ends of bursts gets their last frames (the report among them) out. Many
		// rounds, as the first sends of a thread (its code not yet compiled) may be too far apart
		// to make a burst.
		CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
			for (int round = 0; round < rounds; round++) {
				try {
					if (!go.tryAcquire(30, TimeUnit.SECONDS)) {
						return;
					}
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				sendBurst(mailbox, 40);
			}
		});
		try {
			for (int round = 0; round < rounds; round++) {
				go.release();
				assertThat(mailbox.receive(Duration.ofSeconds(5))).as("round %d", round).isEqualTo(collected(40));
			}
		}
		finally {
			go.release(rounds);
			sender.get(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void aBurstOfAProcessThatBlocksBeforeItsActivationEndsLeavesAnyway() throws InterruptedException {
		Mailbox watcher = node.createMailbox();
		Semaphore release = new Semaphore(0);
		int rounds = 20;
		// A process's burst leaves when its activation ends; this one blocks first, on a semaphore
		// rather than in the node, and only the periodic write of late bursts gets it out. A call
		// per round, each released once its burst has arrived.
		node.spawn(new GenServerProcess((self, request, from) -> {
			sendBurst(self, 40, watcher);
			return GenResult.reply(atom(release.tryAcquire(30, TimeUnit.SECONDS) ? "released" : "still_blocked"));
		}), SpawnOptions.DEFAULT.withName("esb_burst_blocker"));
		peer.eval("spawn(fun() -> [gen_server:call({esb_burst_blocker, '" + node.name() + "'}, go, 40000) || _ <- lists:seq(1, "
				+ rounds + ")] end), ok");
		try {
			for (int round = 0; round < rounds; round++) {
				assertThat(watcher.receive(Duration.ofSeconds(5))).as("round %d", round).isEqualTo(collected(40));
				release.release();
			}
		}
		finally {
			release.release(rounds);
		}
	}

}
