package io.github.erlangspring.node.dist;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpExternal;
import com.ericsson.otp.erlang.OtpErlangTuple;
import com.ericsson.otp.erlang.OtpInputStream;
import com.ericsson.otp.erlang.OtpOutputStream;

import io.github.erlangspring.node.DisconnectReason;
import io.github.erlangspring.node.DisconnectReason.Kind;
import io.github.erlangspring.node.Threads;

/**
 * An established distribution connection: 4-byte framed pass-through messages ({@code 'p'},
 * control term, optional payload term), ticks, and a bounded outbound queue.
 * <p>
 * One reader thread per connection decodes frames and hands them to the {@link Listener}. There
 * is no writer thread: a sender that finds the socket idle writes itself, draining whatever other
 * senders queued meanwhile, so frames are batched into one flush under load and written at once
 * when idle. A sender that finds a write under way only queues its frame and returns. A thread
 * that must not block (an event loop, {@link Threads#onNonBlockingThread()})
 * never writes: it queues, and a writer task writes for it; it never waits for room either (a
 * full queue closes the connection as stuck).
 * <p>
 * A peer that stops reading fills the socket's buffers, and the one sender writing then waits in
 * the socket write. No thread waits past the stuck timeout ({@link Settings#sendTimeout()}):
 * {@link #checkStuck(long)}, called every second, closes a connection whose write has lasted that
 * long, which ends the write; a sender that finds the queue full waits for room at most that long
 * too, then closes the connection.
 */
public final class DistConnection {

	private static final byte[] TICK = new byte[4];

	private static final int INITIAL_FRAME_BUFFER = 64 * 1024;

	private static final int PASS_THROUGH = 112;

	private final Socket socket;

	private final Handshake.Peer peer;

	private final Settings settings;

	private final OutboundQueue outbound;

	/** Atoms the reader has decoded (the reader's alone). */
	private final AtomCachingInput.Atoms atoms = new AtomCachingInput.Atoms();

	private final AtomicBoolean writing = new AtomicBoolean();

	private final AtomicBoolean closed = new AtomicBoolean();

	private final FrameOutput output;

	private final long connectedAt = System.currentTimeMillis();

	private volatile long lastRead = System.nanoTime();

	private volatile long lastWrite = System.nanoTime();

	/** {@link System#nanoTime()} when the write under way started, 0 when none is. */
	private volatile long writeStarted;

	private final AtomicLong messagesIn = new AtomicLong();

	private final AtomicLong messagesOut = new AtomicLong();

	private final AtomicLong bytesIn = new AtomicLong();

	private final AtomicLong bytesOut = new AtomicLong();

	private volatile Listener listener;

	private volatile DisconnectReason closeReason;

	/**
	 * Limits of one connection.
	 * @param maxFrameSize largest frame accepted from the peer, in bytes
	 * @param outboundCapacity frames that may wait to be written before senders wait for room
	 * @param sendTimeout the stuck timeout: a write that lasts this long, or a sender waiting this
	 * long for room in a full queue, declares the connection stuck and closes it
	 * @param tickTime {@code net_ticktime}: a peer silent for this long is down
	 */
	public record Settings(int maxFrameSize, int outboundCapacity, Duration sendTimeout, Duration tickTime) {
	}

	/** Receives what arrives on a connection, on its reader thread. */
	public interface Listener {

		/**
		 * A frame arrived. Throwing marks the frame as a protocol violation: the connection closes.
		 * @param connection the connection
		 * @param control the control message
		 * @param payload the message that follows the control message, or {@code null}
		 */
		void received(DistConnection connection, OtpErlangTuple control, OtpErlangObject payload);

		/**
		 * The connection closed; called exactly once.
		 * @param connection the connection
		 * @param reason why
		 */
		void closed(DistConnection connection, DisconnectReason reason);

	}

	private static final ExecutorService READERS = Executors
		.newCachedThreadPool(Threads.factory("erlang-dist-reader", false));

	/** Writes for threads that must not block (event loops); idle threads end after a minute. */
	private static final ExecutorService WRITERS = Executors
		.newCachedThreadPool(Threads.factory("erlang-dist-writer", false));

	private final AtomicBoolean flushScheduled = new AtomicBoolean();

	/**
	 * How long the reader may run work of its batch before another thread takes over reading:
	 * about what a handler that computes takes at most, far less than one that waits on I/O.
	 */
	static final long INLINE_LIMIT_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	/**
	 * A thread that sends again on the same connection within this time of its last send is
	 * sending a burst (a loop of sends): its frames stay queued and leave many per write, when
	 * {@link #BURST_FRAMES} or {@link #BURST_BYTES} are queued, when the thread waits in the node
	 * ({@link #beforeBlocking()}) or ends its task ({@link #endTask()}), or at the latest
	 * {@link #BURST_TAIL_MICROS} later; as Erlang queues a process's sends on the distribution
	 * port and writes them when the port's task runs. A lone send, or a call's request (a round
	 * trip apart from the previous one), is written at once by its sender.
	 */
	static final long BURST_NANOS = TimeUnit.MICROSECONDS.toNanos(10);

	/** Frames a burst's sender leaves queued before it writes them, all in one write. */
	static final int BURST_FRAMES = 16;

	/**
	 * Bytes a burst's sender leaves queued at most: large frames are written as they are sent,
	 * which keeps the peer decoding one while the next is encoded.
	 */
	static final int BURST_BYTES = 8 * 1024;

	/**
	 * How long the end of a burst may wait for its sender to write it: a sender that goes on to
	 * other work instead of waiting in the node has a writer task write it then.
	 */
	static final long BURST_TAIL_MICROS = 100;

	/** Writes the ends of bursts whose senders went on to other work. */
	private static final ScheduledExecutorService BURST_TAILS = Executors
		.newSingleThreadScheduledExecutor(Threads.factory("erlang-dist-burst", false));

	private final AtomicBoolean burstTailScheduled = new AtomicBoolean();

	/** How long a task's burst may wait for the task to end before it is written without it. */
	static final long LATE_BURST_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	/** When a task's burst was first left queued here since the last write; 0 when none was. */
	private volatile long burstLeftAt;

	/**
	 * Who reads: even while the reader reads, odd while it runs work of its batch; whoever moves
	 * it on from an odd value (the reader, done, back to even; or {@link #passReadingIfBusy}, to
	 * the next even value, for a new reader) decides whether the reader reads on.
	 */
	private final AtomicLong readerTurn = new AtomicLong();

	private volatile long inlineSince;

	private final FrameBuffer buffer;

	private final DataInputStream input;

	private volatile Thread reader;

	private Runnable handOff;

	private volatile boolean virtualReaders;

	public DistConnection(Socket socket, Handshake.Peer peer, Settings settings) throws IOException {
		this.socket = socket;
		this.peer = peer;
		this.settings = settings;
		this.outbound = new OutboundQueue(settings.outboundCapacity());
		this.output = new FrameOutput(socket.getOutputStream());
		this.buffer = new FrameBuffer(socket.getInputStream());
		this.input = new DataInputStream(this.buffer);
		socket.setSoTimeout(0);
	}

	/**
	 * Runs {@code task} on the thread reading this connection, right after the frame being
	 * handled, while another thread takes over reading (leader/follower): the work a frame asks
	 * for starts without a hand-off to another thread, and reading goes on meanwhile. Only the
	 * reader may do this, once per frame.
	 * @param task the work
	 * @return {@code false} when the calling thread is not this connection's reader (run the
	 * task elsewhere)
	 */
	public boolean runOnReader(Runnable task) {
		if (Thread.currentThread() != this.reader || this.handOff != null) {
			return false;
		}
		this.handOff = task;
		return true;
	}

	/**
	 * Starts reading.
	 * @param listener where frames and the close go
	 */
	public void start(Listener listener) {
		start(listener, false);
	}

	/**
	 * Starts reading.
	 * @param listener where frames and the close go
	 * @param virtualThreads whether the readers are virtual threads (where the JVM has them)
	 */
	public void start(Listener listener, boolean virtualThreads) {
		this.listener = listener;
		this.virtualReaders = virtualThreads && Threads.virtualThreadsAvailable();
		Threads.start("erlang-dist-" + this.peer.name(), this.virtualReaders,
				this::readLoop);
	}

	/** @return the socket, to tell connections apart */
	public Socket socket() {
		return this.socket;
	}

	public Handshake.Peer peer() {
		return this.peer;
	}

	public boolean isOpen() {
		return !this.closed.get();
	}

	/** @return epoch millis of the handshake's completion */
	public long connectedAt() {
		return this.connectedAt;
	}

	public long messagesIn() {
		return this.messagesIn.get();
	}

	public long messagesOut() {
		return this.messagesOut.get();
	}

	public long bytesIn() {
		return this.bytesIn.get();
	}

	public long bytesOut() {
		return this.bytesOut.get();
	}

	/** @return frames waiting to be written */
	public int queuedFrames() {
		return this.outbound.size();
	}

	/**
	 * Whether the peer announced a capability.
	 * @param flag one of {@link DistFlags}
	 * @return whether the peer has it
	 */
	public boolean peerHas(long flag) {
		return DistFlags.has(this.peer.flags(), flag);
	}

	/**
	 * Sends a control message and an optional payload.
	 * @param control the control tuple
	 * @param payload the message, or {@code null}
	 * @return {@code false} when the connection is closed (the frame is dropped, as Erlang drops
	 * messages to a lost node)
	 */
	public boolean send(OtpErlangTuple control, OtpErlangObject payload) {
		return enqueue(encode(control, payload));
	}

	/**
	 * Sends a frame made by {@link #encode(OtpErlangObject, OtpErlangObject)}.
	 * @param frame the frame
	 * @return {@code false} when the connection is closed
	 */
	public boolean sendFrame(byte[] frame) {
		return enqueue(frame);
	}

	/**
	 * Queues frames made by {@link #encode(OtpErlangObject, OtpErlangObject)} before anyone else
	 * can send on this connection (it is not registered yet), without writing them: they leave
	 * with the first write. They must fit in the queue.
	 * @param frames the frames, in order
	 */
	public void queueFirst(Collection<byte[]> frames) {
		for (byte[] frame : frames) {
			if (!this.outbound.offer(frame)) {
				throw new IllegalStateException("more frames than the outbound queue holds");
			}
		}
	}

	/**
	 * Queues a control message without writing it: it leaves with the next write on this
	 * connection, or at {@link #flush()}. Unlike {@link #cork()}, this holds back nothing that
	 * is sent after it.
	 * @param control the control tuple
	 * @param payload the message, or {@code null}
	 * @return {@code false} when the connection is closed
	 */
	public boolean sendWithNextWrite(OtpErlangTuple control, OtpErlangObject payload) {
		return enqueue(encode(control, payload), false);
	}

	/** Writes what is queued, unless this thread is {@link #cork() corked}. */
	public void flush() {
		Cork cork = CORK.get();
		if (cork != null && cork.deferred == this) {
			cork.clearDeferred();
		}
		write(cork);
	}

	/**
	 * Encodes a frame, for {@link #sendFrame(byte[])}: a message sent before its connection is up
	 * is encoded when sent, as Erlang copies a message when it is sent.
	 * @param control the control tuple
	 * @param payload the message, or {@code null}
	 * @return the frame, length included
	 */
	public static byte[] encode(OtpErlangObject control, OtpErlangObject payload) {
		OtpOutputStream out = new AtomCachingOutput();
		out.write4BE(0);
		out.write1(PASS_THROUGH);
		out.write1(OtpExternal.versionTag);
		out.write_any(control);
		if (payload != null) {
			out.write1(OtpExternal.versionTag);
			out.write_any(payload);
		}
		out.poke4BE(0, out.size() - 4);
		return out.toByteArray();
	}

	/**
	 * Holds back this thread's sends until the matching {@link #uncork()}, so that the frames one
	 * piece of work produces (a spawn reply and its result, a monitor and a call) leave in one
	 * write, and the wake-ups it asks for with {@link #afterBatch} happen once. Nests.
	 */
	public static void cork() {
		Cork.current().depth++;
	}

	/** Ends a {@link #cork()}: at the outermost level, writes what this thread held back. */
	public static void uncork() {
		Cork cork = CORK.get();
		if (cork == null || cork.depth == 0) {
			return;
		}
		if (--cork.depth == 0) {
			if (cork.own != null) {
				// nobody took it (the reader stopped): it runs where it would have
				Runnable elsewhere = cork.ownElsewhere;
				cork.own = null;
				cork.ownElsewhere = null;
				READER_RUNS.decrementAndGet();
				cork.wakeups.add(elsewhere);
			}
			// wake-ups first: the woken threads run on other cores while this one writes
			for (int i = 0; i < cork.wakeups.size(); i++) {
				cork.wakeups.get(i).run();
			}
			cork.wakeups.clear();
			for (int i = 0; i < cork.held.size(); i++) {
				cork.held.get(i).flushFromHere();
			}
			cork.held.clear();
		}
	}

	/**
	 * Runs {@code wakeup} when this thread's batch ends (its outermost {@link #uncork()}), or now
	 * when it is not {@link #cork() corked}; asked for again in the same batch, it runs once. A
	 * connection's reader is corked while frames it has read wait to be handled, so what it
	 * delivers to a waiting thread or process in one burst wakes it once, not once per message.
	 * @param wakeup what wakes the receiver up (never throws)
	 */
	public static void afterBatch(Runnable wakeup) {
		Cork cork = CORK.get();
		if (cork == null || cork.depth == 0) {
			wakeup.run();
		}
		else if (!cork.wakeups.contains(wakeup)) {
			cork.wakeups.add(wakeup);
		}
	}

	/**
	 * Starts a task on this thread (a process's activation, a call into Java) that ends with
	 * {@link #endTask()}: the sends it makes in a burst ({@link #BURST_NANOS}) leave when it ends,
	 * as Erlang writes a process's sends when it yields, with no timer per burst; if it blocks
	 * first, without waiting in the node, {@link #writeLateBurst(long)} writes them. Nests.
	 */
	public static void startTask() {
		Cork.current().tasks++;
	}

	/** Ends a {@link #startTask()}: at the outermost level, writes what its burst left queued. */
	public static void endTask() {
		Cork cork = CORK.get();
		if (cork != null && cork.tasks > 0 && --cork.tasks == 0) {
			cork.writeDeferred();
		}
	}

	/**
	 * Writes, on a writer task, what a task's burst left queued {@link #LATE_BURST_NANOS} ago or
	 * more: the task blocked before it ended. Called every few milliseconds.
	 * @param now {@link System#nanoTime()}
	 */
	public void writeLateBurst(long now) {
		long left = this.burstLeftAt;
		if (left != 0 && now - left >= LATE_BURST_NANOS) {
			this.burstLeftAt = 0;
			if (!this.outbound.isEmpty() && !this.closed.get()) {
				flushElsewhere();
			}
		}
	}

	/**
	 * Has {@code work} run when this thread's batch ends. When this thread is a connection's reader,
	 * the reader runs the first such work of its batch itself, once it has read all that arrived
	 * and written what the batch sent, and then reads on: a call that a process answers at once
	 * costs no thread wake-up besides the reader's own. Work that runs longer than
	 * {@link #INLINE_LIMIT_NANOS} goes on while another thread takes over reading
	 * ({@link #passReadingIfBusy}). Any other work, and all of it on other threads, runs
	 * {@code elsewhere} as {@link #afterBatch} does.
	 * @param work what to run (a process's activation)
	 * @param elsewhere what hands {@code work} to another thread (never throws)
	 */
	public static void runAfterBatch(Runnable work, Runnable elsewhere) {
		Cork cork = CORK.get();
		if (cork != null && cork.depth > 0 && cork.reading && cork.own == null && takeReaderRun()) {
			cork.own = work;
			cork.ownElsewhere = elsewhere;
		}
		else {
			afterBatch(elsewhere);
		}
	}

	/**
	 * Work running on readers at most: past it, work goes {@code elsewhere}, so handlers that
	 * block cannot take a thread per batch (each makes its reader pass reading on).
	 */
	private static final int MAX_READER_RUNS = Math.max(2, Runtime.getRuntime().availableProcessors());

	private static final AtomicInteger READER_RUNS = new AtomicInteger();

	private static boolean takeReaderRun() {
		for (int runs = READER_RUNS.get(); runs < MAX_READER_RUNS; runs = READER_RUNS.get()) {
			if (READER_RUNS.compareAndSet(runs, runs + 1)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * @return the work this reader's batch left for it, or {@code null}; the caller runs it with
	 * {@link #runInline}, which gives back its place among {@link #MAX_READER_RUNS}
	 */
	private static Runnable takeOwnWork() {
		Cork cork = CORK.get();
		Runnable own = cork.own;
		cork.own = null;
		cork.ownElsewhere = null;
		return own;
	}

	private static void reading(boolean reading) {
		Cork cork = CORK.get();
		if (cork != null) {
			cork.reading = reading;
		}
	}

	private static final ThreadLocal<Cork> CORK = new ThreadLocal<>();

	private static final class Cork {

		int depth;

		/** Whether this thread reads a connection (its batches may leave it work). */
		boolean reading;

		Runnable own;

		Runnable ownElsewhere;

		/** The connection whose reader this thread is, while it runs work of its batch. */
		DistConnection inlineFor;

		final List<DistConnection> held = new ArrayList<>(2);

		final List<Runnable> wakeups = new ArrayList<>(4);

		/** Tasks this thread runs ({@link #startTask()}), nested. */
		int tasks;

		/** The connection this thread last sent on outside a cork, when, and how many bytes. */
		DistConnection lastSentOn;

		long lastSentAt;

		int lastSentBytes;

		/** The connection where this thread's burst waits to be written, or {@code null}, and its size. */
		DistConnection deferred;

		int deferredFrames;

		int deferredBytes;

		static Cork current() {
			Cork cork = CORK.get();
			if (cork == null) {
				cork = new Cork();
				CORK.set(cork);
			}
			return cork;
		}

		/**
		 * Whether a frame of {@code bytes} just queued on {@code connection} at {@code now} stays
		 * queued, in this thread's burst. When not, the burst is over: the caller writes.
		 * Either way, what this thread left queued on another connection is written now.
		 */
		boolean leavesQueued(DistConnection connection, int bytes, long now) {
			// a burst of frames that fit in one write together: a large frame is written as it is
			// sent, and so is what follows it (the peer decodes the one while the next is encoded)
			boolean burst = this.lastSentOn == connection && now - this.lastSentAt < BURST_NANOS
					&& this.lastSentBytes + bytes <= BURST_BYTES;
			this.lastSentOn = connection;
			this.lastSentAt = now;
			this.lastSentBytes = bytes;
			if (this.deferred != connection) {
				writeDeferred();
			}
			if (burst && this.deferredFrames < BURST_FRAMES && this.deferredBytes + bytes <= BURST_BYTES) {
				this.deferred = connection;
				this.deferredFrames++;
				this.deferredBytes += bytes;
				return true;
			}
			clearDeferred();
			return false;
		}

		void hold(DistConnection connection) {
			if (!this.held.contains(connection)) {
				this.held.add(connection);
			}
		}

		/** Writes this thread's burst now. */
		void writeDeferred() {
			DistConnection connection = this.deferred;
			if (connection != null) {
				clearDeferred();
				connection.flushFromHere();
			}
		}

		void clearDeferred() {
			this.deferred = null;
			this.deferredFrames = 0;
			this.deferredBytes = 0;
		}

	}

	private boolean enqueue(byte[] frame) {
		return enqueue(frame, true);
	}

	private boolean enqueue(byte[] frame, boolean write) {
		if (this.closed.get()) {
			return false;
		}
		try {
			// Room for it, or a wait bounded by the stuck timeout: a peer reading slower than we
			// send slows the senders down (as Erlang suspends a sender on a busy distribution
			// port), a peer that stopped reading is declared stuck. close() empties the queue,
			// which ends the wait at once.
			if (!this.outbound.offer(frame)) {
				if (Threads.onNonBlockingThread()) {
					// an event loop does not wait: 'outbound-queue' frames wait already, the peer
					// is not keeping up
					abort(new DisconnectReason(Kind.SEND_QUEUE_FULL, "(" + this.settings.outboundCapacity()
							+ " frames) when an event loop sent: the peer is not reading"));
					return false;
				}
				if (!this.outbound.offer(frame, this.settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
					abort(new DisconnectReason(Kind.SEND_QUEUE_FULL,
							"for " + this.settings.sendTimeout() + ": the peer is not reading"));
					return false;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
		if (this.closed.get()) {
			return false;
		}
		return !write || writeSent(frame.length);
	}

	/**
	 * Writes the queue now, or at {@link #uncork()} when this thread is corked.
	 * @param cork this thread's send state, or {@code null} when it has none
	 */
	private boolean write(Cork cork) {
		if (cork != null && cork.depth > 0) {
			cork.hold(this);
			return true;
		}
		flushFromHere();
		return !this.closed.get();
	}

	/**
	 * Writes a frame of {@code bytes} just queued, as {@link #write(Cork)} does, but for a thread
	 * sending a burst ({@link #BURST_NANOS}): it leaves its frames queued and writes them up to
	 * {@link #BURST_FRAMES} or {@link #BURST_BYTES} at a time, and the rest when it waits in the
	 * node ({@link #beforeBlocking()}), sends elsewhere, ends its task ({@link #endTask()}), or,
	 * if it does none of these, {@link #BURST_TAIL_MICROS} later on a writer task.
	 */
	private boolean writeSent(int bytes) {
		Cork cork = Cork.current();
		long now = System.nanoTime();
		if (cork.depth > 0 || !cork.leavesQueued(this, bytes, now)) {
			return write(cork);
		}
		if (cork.tasks == 0) {
			flushBurstTailLater();
		}
		else if (this.burstLeftAt == 0) {
			// the task writes it when it ends; writeLateBurst if it blocks first
			this.burstLeftAt = now | 1;
		}
		return !this.closed.get();
	}

	/** Has a writer task write the queue in {@link #BURST_TAIL_MICROS}, unless one will already. */
	private void flushBurstTailLater() {
		if (this.burstTailScheduled.compareAndSet(false, true)) {
			try {
				BURST_TAILS.schedule(() -> {
					this.burstTailScheduled.set(false);
					if (!this.outbound.isEmpty()) {
						flushElsewhere();
					}
				}, BURST_TAIL_MICROS, TimeUnit.MICROSECONDS);
			}
			catch (RuntimeException ex) {
				// no timer (shutting down): write now
				this.burstTailScheduled.set(false);
				flushFromHere();
			}
		}
	}

	/** Writes the queue on this thread, or on a writer task when this thread must not block. */
	private void flushFromHere() {
		if (Threads.onNonBlockingThread()) {
			flushElsewhere();
		}
		else {
			flushQueue();
		}
	}

	private void flushElsewhere() {
		if (this.flushScheduled.compareAndSet(false, true)) {
			try {
				WRITERS.execute(this::flushScheduled);
			}
			catch (RuntimeException ex) {
				// no thread to write on: the next sender writes
				this.flushScheduled.set(false);
			}
		}
	}

	/**
	 * A writer task: writes until the queue is empty. Senders that queue meanwhile find it
	 * scheduled and leave their frames to it, so a burst costs one task, not one per write. When
	 * another thread is writing, it leaves the rest to that thread (which writes until the queue
	 * is empty too).
	 */
	private void flushScheduled() {
		do {
			flushQueue();
			this.flushScheduled.set(false);
		}
		while (!this.outbound.isEmpty() && !this.writing.get() && this.flushScheduled.compareAndSet(false, true));
	}

	private void flushQueue() {
		while (!this.outbound.isEmpty() && this.writing.compareAndSet(false, true)) {
			try {
				this.burstLeftAt = 0;
				this.writeStarted = System.nanoTime() | 1;
				long bytes = 0;
				int frames = 0;
				// what is queued now; what senders add meanwhile goes in the next write, whose
				// start the stuck check then times
				byte[] frame;
				for (int left = Math.max(1, this.outbound.size()); left > 0 && (frame = this.outbound.poll()) != null; left--) {
					this.output.write(frame);
					bytes += frame.length;
					if (frame != TICK) {
						frames++;
					}
				}
				this.output.flush();
				this.lastWrite = System.nanoTime();
				this.bytesOut.addAndGet(bytes);
				this.messagesOut.addAndGet(frames);
			}
			catch (IOException ex) {
				close(new DisconnectReason(Kind.WRITE_FAILED, ex.getMessage()));
				return;
			}
			finally {
				this.writeStarted = 0;
				this.writing.set(false);
			}
		}
	}

	/**
	 * Called periodically (every quarter of the tick time): sends a tick when we have been silent,
	 * and closes the connection when the peer has been silent for the whole tick time.
	 * @param now {@link System#nanoTime()}
	 */
	public void tick(long now) {
		if (this.closed.get()) {
			return;
		}
		long tickNanos = this.settings.tickTime().toNanos();
		if (now - this.lastRead > tickNanos) {
			close(new DisconnectReason(Kind.TICK_TIMEOUT,
					"nothing received from " + this.peer.name() + " for " + this.settings.tickTime()));
			return;
		}
		if (now - this.lastWrite >= tickNanos / 4) {
			enqueue(TICK);
		}
	}

	/**
	 * @param now {@link System#nanoTime()}
	 * @return whether a write has lasted longer than the stuck timeout
	 */
	public boolean writeOverdue(long now) {
		long started = this.writeStarted;
		return started != 0 && !this.closed.get() && now - started > this.settings.sendTimeout().toNanos();
	}

	/**
	 * Closes the connection when a write has lasted longer than the stuck timeout (the peer stopped
	 * reading): the write ends with it, and so the wait of the sender writing. Cheap when nothing
	 * is written; called every second.
	 * @param now {@link System#nanoTime()}
	 * @return whether it closed the connection
	 */
	public boolean checkStuck(long now) {
		if (!writeOverdue(now)) {
			return false;
		}
		abort(new DisconnectReason(Kind.SEND_QUEUE_FULL,
				"for " + this.settings.sendTimeout() + ": a write did not complete, the peer is not reading"));
		return true;
	}

	/**
	 * Closes a stuck connection at once: with no linger, the socket is reset, what it still holds
	 * is dropped, and a TLS socket does not wait to send its close alert behind the stuck write
	 * (it would wait on that write's lock).
	 */
	private void abort(DisconnectReason reason) {
		try {
			this.socket.setSoLinger(true, 0);
		}
		catch (IOException | RuntimeException ex) {
			// closing anyway
		}
		close(reason);
	}

	/**
	 * Closes the connection; the listener hears of it once.
	 * @param reason why, for the log and the node-down event
	 */
	public void close(DisconnectReason reason) {
		if (this.closed.compareAndSet(false, true)) {
			this.closeReason = reason;
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
			Listener current = this.listener;
			if (current != null) {
				current.closed(this, reason);
			}
			// what was queued is not going anywhere; senders waiting for room stop waiting
			this.outbound.clear();
			// A thread keeps the connection it last sent on until it sends again (its send
			// state): what it keeps of a closed one is a few objects, not the two 64 KB buffers.
			try {
				this.buffer.close();
			}
			catch (IOException ex) {
				// the socket is closed already
			}
			this.output.release();
		}
	}

	/** @return whether this connection still holds its read and write buffers (until closed) */
	boolean holdsBuffers() {
		return this.buffer.holdsBuffer() || this.output.holdsBuffer();
	}

	/** @return why the connection closed, or {@code null} while open */
	public DisconnectReason closeReason() {
		return this.closeReason;
	}

	private void readLoop() {
		this.reader = Thread.currentThread();
		FrameBuffer buffer = this.buffer;
		DataInputStream input = this.input;
		Runnable handedOff = null;
		try {
			cork();
			reading(true);
			while (!this.closed.get()) {
				if (buffer.buffered() == 0) {
					// What the frames read so far made us send leaves now, in one write.
					Runnable own = takeOwnWork();
					uncork();
					if (own != null && !runInline(own)) {
						// it ran long, and another thread reads now
						return;
					}
					cork();
				}
				int length = input.readInt();
				this.lastRead = System.nanoTime();
				if (length == 0) {
					continue;
				}
				if (length < 0 || length > this.settings.maxFrameSize()) {
					throw new ProtocolViolation("frame of " + (length & 0xFFFFFFFFL) + " bytes exceeds the limit of "
							+ this.settings.maxFrameSize());
				}
				byte[] frame = readFrame(input, length);
				this.bytesIn.addAndGet(length + 4L);
				if ((frame[0] & 0xFF) != PASS_THROUGH) {
					throw new ProtocolViolation("unexpected frame type " + (frame[0] & 0xFF));
				}
				// before JInterface, which allocates whatever lengths the peer claims
				ExternalTermBounds.check(frame, 1, length);
				OtpErlangTuple control;
				OtpErlangObject payload;
				try {
					OtpInputStream terms = new AtomCachingInput(frame, 1, length - 1, this.atoms);
					OtpErlangObject head = terms.read_any();
					if (!(head instanceof OtpErlangTuple tuple) || tuple.arity() == 0) {
						throw new ProtocolViolation("control message is not a tuple: " + BoundedTerms.describe(head));
					}
					control = tuple;
					payload = (terms.available() > 0) ? terms.read_any() : null;
				}
				catch (ProtocolViolation ex) {
					throw ex;
				}
				catch (Exception | StackOverflowError ex) {
					throw new ProtocolViolation("undecodable term: " + ex.getClass().getName());
				}
				this.messagesIn.incrementAndGet();
				try {
					this.listener.received(this, control, payload);
				}
				catch (RuntimeException ex) {
					this.handOff = null;
					throw new ProtocolViolation("invalid control message " + BoundedTerms.describe(control) + ": "
							+ ex.getClass().getName());
				}
				Runnable task = this.handOff;
				if (task != null) {
					this.handOff = null;
					uncork();
					passReading();
					handedOff = task;
					break;
				}
			}
		}
		catch (ProtocolViolation ex) {
			close(new DisconnectReason(Kind.PROTOCOL_VIOLATION, ex.getMessage()));
		}
		catch (IOException ex) {
			close(this.closed.get() ? DisconnectReason.of(Kind.CLOSED)
					: new DisconnectReason(Kind.CONNECTION_LOST, "(" + ex.getMessage() + ")"));
		}
		catch (Throwable ex) {
			// An Error (no memory, a stack overflow in a listener) ends this connection, not just
			// its reader: a connection nobody reads would stay up until the tick timeout.
			close(new DisconnectReason(Kind.OTHER, "reader failed: " + ex.getClass().getName()));
		}
		finally {
			reading(false);
			uncork();
		}
		if (handedOff != null) {
			// after the hand-off: what happens in the task is no longer this connection's business
			handedOff.run();
		}
	}

	/**
	 * Runs work of the reader's batch on the reader, which reads on afterwards unless the work ran
	 * longer than {@link #INLINE_LIMIT_NANOS}: then {@link #passReadingIfBusy} has had another
	 * thread take over reading, and this one leaves once the work is done.
	 * @return whether this thread is still the reader
	 */
	private boolean runInline(Runnable work) {
		long turn = this.readerTurn.get();
		this.inlineSince = System.nanoTime();
		this.readerTurn.set(turn + 1);
		Cork cork = CORK.get();
		cork.inlineFor = this;
		try {
			work.run();
		}
		catch (Throwable ex) {
			// the work's failure, not the connection's: as a pool thread would report it
			Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), ex);
		}
		finally {
			cork.inlineFor = null;
			READER_RUNS.decrementAndGet();
		}
		return this.readerTurn.compareAndSet(turn + 1, turn);
	}

	/**
	 * Called by code about to wait (for a reply, a message): what this thread's burst left queued
	 * is written, and when this thread is a reader running work of its batch, another thread takes
	 * over reading now, as what it waits for may well arrive on this very connection. Cheap on any
	 * other thread.
	 */
	public static void beforeBlocking() {
		Cork cork = CORK.get();
		if (cork == null) {
			return;
		}
		cork.writeDeferred();
		if (cork.inlineFor != null) {
			DistConnection connection = cork.inlineFor;
			cork.inlineFor = null;
			connection.passReadingFrom(connection.readerTurn.get());
		}
	}

	/**
	 * Has another thread take over reading when the reader has been running work of its batch for
	 * longer than {@link #INLINE_LIMIT_NANOS} (a handler that blocks): the connection is read on,
	 * ticks included, while the handler blocks. Called every few milliseconds.
	 * @param now {@link System#nanoTime()}
	 * @return whether it did
	 */
	public boolean passReadingIfBusy(long now) {
		long turn = this.readerTurn.get();
		return now - this.inlineSince >= INLINE_LIMIT_NANOS && passReadingFrom(turn);
	}

	/** Another thread takes over reading if the reader still runs the work it ran at {@code turn}. */
	private boolean passReadingFrom(long turn) {
		if ((turn & 1) == 0 || this.closed.get() || !this.readerTurn.compareAndSet(turn, turn + 1)) {
			return false;
		}
		passReading();
		return true;
	}

	/** Another thread takes over reading this connection; this one is about to leave the loop. */
	private void passReading() {
		try {
			if (this.virtualReaders) {
				Threads.start("erlang-dist-reader", true, this::readLoop);
			}
			else {
				READERS.execute(this::readLoop);
			}
		}
		catch (Throwable ex) {
			// no thread to take over reading (none left, or stopping): this connection ends
			close(new DisconnectReason(Kind.OTHER, "no thread to read on (" + ex.getClass().getName() + ")"));
		}
	}

	/**
	 * Reads a frame into a buffer that grows as its bytes arrive: a length that promises much
	 * and delivers little costs no more memory than what was delivered (at most twice).
	 */
	private byte[] readFrame(DataInputStream input, int length) throws IOException {
		if (length <= INITIAL_FRAME_BUFFER) {
			byte[] frame = new byte[length];
			input.readFully(frame);
			return frame;
		}
		byte[] frame = new byte[INITIAL_FRAME_BUFFER];
		int filled = 0;
		while (filled < length) {
			if (filled == frame.length) {
				frame = Arrays.copyOf(frame, (int) Math.min(length, 2L * frame.length));
			}
			int read = input.read(frame, filled, frame.length - filled);
			if (read < 0) {
				throw new java.io.EOFException("connection closed in the middle of a frame");
			}
			filled += read;
		}
		return frame;
	}

	@Override
	public String toString() {
		return "DistConnection[" + this.peer.name() + (this.closed.get() ? ", closed" : "") + "]";
	}

	/** A read buffer that tells what it holds without asking the socket (a system call). */
	private static final class FrameBuffer extends BufferedInputStream {

		FrameBuffer(java.io.InputStream in) {
			super(in, 64 * 1024);
		}

		synchronized int buffered() {
			return this.count - this.pos;
		}

		boolean holdsBuffer() {
			// close() drops it
			return this.buf != null;
		}

	}

	/** The write buffer, which a closed connection gives up. */
	private static final class FrameOutput extends BufferedOutputStream {

		/** Every frame is longer: once released, a write goes to the (closed) socket and fails. */
		private static final byte[] RELEASED = new byte[1];

		FrameOutput(OutputStream out) {
			super(out, 64 * 1024);
		}

		synchronized void release() {
			this.buf = RELEASED;
			this.count = 0;
		}

		synchronized boolean holdsBuffer() {
			return this.buf != RELEASED;
		}

	}

	static final class ProtocolViolation extends IOException {

		ProtocolViolation(String message) {
			super(message);
		}

	}


}
