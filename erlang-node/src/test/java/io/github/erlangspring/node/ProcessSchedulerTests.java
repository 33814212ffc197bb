package io.github.erlangspring.node;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spawned processes on the {@link ProcessScheduler}, without a network or {@code erl}: messages
 * handled one at a time and in order, fairness between processes (a burst yields after the
 * budget), a handler that blocks does not starve the others, and a crash is seen by links and
 * monitors with Erlang's semantics.
 */
class ProcessSchedulerTests {

	private final ProcessTable table = new ProcessTable("sched@127.0.0.1", 1);

	private final Signals signals = new Signals(this.table, null);

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	private final List<ProcessScheduler> schedulers = new ArrayList<>();

	@AfterEach
	void stop() {
		this.schedulers.forEach(ProcessScheduler::close);
		this.timer.shutdownNow();
	}

	private ProcessScheduler scheduler(int threads, int max, int budget) {
		ProcessScheduler scheduler = new ProcessScheduler(false, threads, max, budget, this.timer);
		this.schedulers.add(scheduler);
		return scheduler;
	}

	private ScheduledProcess spawn(ProcessScheduler scheduler, ProcessHandler handler) {
		ScheduledProcess process = new ScheduledProcess(this.table.newPid(), this.signals, 0, handler, scheduler);
		this.table.add(process);
		return process;
	}

	private ScheduledProcess inline(ProcessScheduler scheduler, ProcessHandler handler) {
		ScheduledProcess process = ScheduledProcess.inline(this.table.newPid(), this.signals, handler, scheduler);
		this.table.add(process);
		return process;
	}

	private DefaultMailbox mailbox() {
		DefaultMailbox mailbox = new DefaultMailbox(this.table.newPid(), this.signals, 0);
		this.table.add(mailbox);
		return mailbox;
	}

	private static OtpErlangObject message(int sender, int n) {
		return new OtpErlangTuple(new OtpErlangObject[] { new OtpErlangLong(sender), new OtpErlangLong(n) });
	}

	@Test
	void messagesAreHandledOneAtATimeInTheOrderEachSenderSentThem() throws Exception {
		ProcessScheduler scheduler = scheduler(4, 4, 16);
		handledOneAtATimeInOrder((handler) -> spawn(scheduler, handler));
	}

	@Test
	void anInlineProcessToo() throws Exception {
		ProcessScheduler scheduler = scheduler(4, 4, 16);
		handledOneAtATimeInOrder((handler) -> inline(scheduler, handler));
	}

	private void handledOneAtATimeInOrder(java.util.function.Function<ProcessHandler, ScheduledProcess> spawn)
			throws Exception {
		int senders = 4;
		int each = 5_000;
		AtomicInteger inside = new AtomicInteger();
		AtomicInteger overlaps = new AtomicInteger();
		int[] last = new int[senders];
		AtomicInteger outOfOrder = new AtomicInteger();
		CountDownLatch all = new CountDownLatch(senders * each);
		ScheduledProcess process = spawn.apply((self, message) -> {
			if (inside.incrementAndGet() != 1) {
				overlaps.incrementAndGet();
			}
			OtpErlangTuple tuple = (OtpErlangTuple) message;
			int sender = ((OtpErlangLong) tuple.elementAt(0)).intValue();
			int n = ((OtpErlangLong) tuple.elementAt(1)).intValue();
			if (n != last[sender] + 1) {
				outOfOrder.incrementAndGet();
			}
			last[sender] = n;
			inside.decrementAndGet();
			all.countDown();
		});
		List<CompletableFuture<Void>> sending = new ArrayList<>();
		for (int s = 0; s < senders; s++) {
			int sender = s;
			sending.add(CompletableFuture.runAsync(() -> {
				for (int n = 1; n <= each; n++) {
					this.signals.send(process.pid, process.pid, message(sender, n));
				}
			}));
		}
		sending.forEach(CompletableFuture::join);
		assertThat(all.await(60, TimeUnit.SECONDS)).isTrue();
		assertThat(overlaps).as("two threads in one process").hasValue(0);
		assertThat(outOfOrder).as("messages out of order").hasValue(0);
		assertThat(last).containsOnly(each);
	}

	@Test
	void aProcessWithABurstYieldsAfterItsBudget() throws Exception {
		ProcessScheduler scheduler = scheduler(1, 1, 8);
		CountDownLatch gate = new CountDownLatch(1);
		scheduler.execute(() -> {
			try {
				gate.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		AtomicInteger burstHandled = new AtomicInteger();
		CompletableFuture<Integer> burstWhenOtherRan = new CompletableFuture<>();
		CountDownLatch burstDone = new CountDownLatch(1000);
		ScheduledProcess burst = spawn(scheduler, (self, message) -> {
			burstHandled.incrementAndGet();
			burstDone.countDown();
		});
		ScheduledProcess other = spawn(scheduler, (self, message) -> burstWhenOtherRan.complete(burstHandled.get()));
		for (int i = 0; i < 1000; i++) {
			burst.deliver(new OtpErlangLong(i));
		}
		other.deliver(new OtpErlangAtom("hello"));
		gate.countDown();
		assertThat(burstWhenOtherRan.get(30, TimeUnit.SECONDS)).as("burst messages handled before the other process ran")
			.isEqualTo(8);
		assertThat(burstDone.await(30, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void anInlineProcessRunsOnTheDeliveringThreadAndQueuesWhatItSendsItself() throws Exception {
		ProcessScheduler scheduler = scheduler(1, 1, 64);
		List<String> handled = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		ScheduledProcess process = inline(scheduler, (self, message) -> {
			threads.add(Thread.currentThread());
			String text = ((OtpErlangAtom) message).atomValue();
			handled.add(text + " in");
			if (text.equals("first")) {
				self.send(self.self(), new OtpErlangAtom("second"));
			}
			handled.add(text + " out");
		});
		process.deliver(new OtpErlangAtom("first"));
		// handled before deliver returned, on this thread, and its own message after it, not inside it
		assertThat(handled).containsExactly("first in", "first out", "second in", "second out");
		assertThat(threads).containsOnly(Thread.currentThread());
		assertThat(process.queueSize()).isZero();
	}

	@Test
	void anInlineProcessHandsABurstPastItsBudgetToTheScheduler() throws Exception {
		ProcessScheduler scheduler = scheduler(1, 1, 8);
		CountDownLatch done = new CountDownLatch(20);
		List<Thread> threads = new CopyOnWriteArrayList<>();
		ScheduledProcess process = inline(scheduler, (self, message) -> {
			threads.add(Thread.currentThread());
			long n = ((OtpErlangLong) message).longValue();
			if (n == 0) {
				for (int i = 1; i < 20; i++) {
					self.send(self.self(), new OtpErlangLong(i));
				}
			}
			done.countDown();
		});
		process.deliver(new OtpErlangLong(0));
		assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
		assertThat(threads.subList(0, 8)).containsOnly(Thread.currentThread());
		assertThat(threads.subList(8, 20)).doesNotContain(Thread.currentThread());
	}

	@Test
	void handlersThatBlockDoNotStarveTheOtherProcesses() throws Exception {
		ProcessScheduler scheduler = scheduler(2, 8, 64);
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch blocked = new CountDownLatch(2);
		List<ScheduledProcess> blockers = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			blockers.add(spawn(scheduler, (self, message) -> {
				blocked.countDown();
				release.await();
			}));
		}
		blockers.forEach((p) -> p.deliver(new OtpErlangAtom("block")));
		assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
		CountDownLatch handled = new CountDownLatch(100);
		for (int i = 0; i < 100; i++) {
			spawn(scheduler, (self, message) -> handled.countDown()).deliver(new OtpErlangAtom("hi"));
		}
		try {
			assertThat(handled.await(60, TimeUnit.SECONDS)).as("other processes handled while two block").isTrue();
			assertThat(scheduler.poolSize()).isBetween(3, 8);
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void aCrashIsSeenByLinksAndMonitorsWithItsReason() throws Exception {
		ProcessScheduler scheduler = scheduler(2, 2, 64);
		BlockingQueueHandler trapping = new BlockingQueueHandler();
		ScheduledProcess linkedTrapping = spawn(scheduler, trapping);
		linkedTrapping.trapExits(true);
		CompletableFuture<OtpErlangObject> untrappedExit = new CompletableFuture<>();
		ScheduledProcess linked = spawn(scheduler, new ProcessHandler() {
			@Override
			public void handle(Mailbox self, OtpErlangObject message) {
			}

			@Override
			public void exited(Mailbox self, OtpErlangObject reason) {
				untrappedExit.complete(reason);
			}
		});
		List<Long> handledBeforeCrash = new CopyOnWriteArrayList<>();
		ScheduledProcess crashing = spawn(scheduler, (self, message) -> {
			if (message instanceof OtpErlangAtom atom && atom.atomValue().equals("boom")) {
				throw new IllegalStateException("boom");
			}
			handledBeforeCrash.add(((OtpErlangLong) message).longValue());
		});
		crashing.link(linkedTrapping.self());
		crashing.link(linked.self());
		DefaultMailbox watcher = mailbox();
		var ref = watcher.monitor(crashing.self());

		crashing.deliver(new OtpErlangLong(1));
		crashing.deliver(new OtpErlangAtom("boom"));
		crashing.deliver(new OtpErlangLong(2));

		OtpErlangObject reason = Terms.tuple(Terms.atom("java.lang.IllegalStateException"), Terms.binary("boom"));
		assertThat(watcher.receive(java.time.Duration.ofSeconds(30)))
			.isEqualTo(Terms.tuple(Terms.DOWN, ref, Terms.PROCESS, crashing.self(), reason));
		assertThat(trapping.messages.poll(30, TimeUnit.SECONDS)).isEqualTo(Terms.tuple(Terms.EXIT, crashing.self(), reason));
		assertThat(untrappedExit.get(30, TimeUnit.SECONDS)).isEqualTo(reason);
		assertThat(linked.isAlive()).isFalse();
		assertThat(linkedTrapping.isAlive()).isTrue();
		assertThat(crashing.isAlive()).isFalse();
		assertThat(this.table.get(crashing.pid)).isNull();
		assertThat(handledBeforeCrash).containsExactly(1L);
	}

	/** Keeps the messages a process gets, for the test to take. */
	static final class BlockingQueueHandler implements ProcessHandler {

		final java.util.concurrent.BlockingQueue<OtpErlangObject> messages = new java.util.concurrent.LinkedBlockingQueue<>();

		@Override
		public void handle(Mailbox self, OtpErlangObject message) {
			this.messages.add(message);
		}

	}

}
