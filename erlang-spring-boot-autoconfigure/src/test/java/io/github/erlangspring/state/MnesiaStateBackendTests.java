package io.github.erlangspring.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangTuple;
import io.github.erlangspring.bridge.SpringBridgeLoader;
import io.github.erlangspring.convert.DefaultErlangConverter;
import io.github.erlangspring.node.ErlangException;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code mnesia} backend: a table replicated on three real Erlang nodes. The contract runs
 * with Java talking to the first node and Erlang code on the second; a replica killed under load
 * from Java and Erlang loses no acknowledged write, both go on through the others, and the
 * restarted node catches up.
 */
class MnesiaStateBackendTests extends StateOperationsContract {

	@RegisterExtension
	static final ErlangPeerExtension erlang = new ErlangPeerExtension();

	static final String TABLE = "esb_state_mnesia";

	static List<ErlangPeer> replicas;

	static ErlangNode node;

	static SpringBridgeLoader loader;

	static StateTemplate template;

	@BeforeAll
	static void start() {
		replicas = cluster(3, ErlangPeer.randomCookie());
		node = startJavaNode(replicas.get(0), "esb_state_mn");
		loader = new SpringBridgeLoader(node, Set.of(), Duration.ofSeconds(10));
		loader.start();
		// Erlang code on every replica calls spring_bridge_mnesia, as an application shipping
		// spring_bridge would
		replicas.forEach((replica) -> loader.load(replica.nodeName()));
		template = new StateTemplate(StateBackend.mnesia(node, names(replicas), TABLE, Duration.ofSeconds(10), loader::load),
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

	static List<ErlangPeer> cluster(int size, String cookie) {
		ErlangPeer first = erlang.peer().cookie(cookie).start();
		List<ErlangPeer> peers = new ArrayList<>(List.of(first));
		for (int i = 1; i < size; i++) {
			ErlangPeer next = erlang.peer().cookie(first.cookie()).start();
			assertThat(next.eval("net_adm:ping('" + first.nodeName() + "')")).hasToString("pong");
			peers.add(next);
		}
		return peers;
	}

	static List<String> names(List<ErlangPeer> peers) {
		return peers.stream().map(ErlangPeer::nodeName).toList();
	}

	@Override
	StateTemplate template() {
		return template;
	}

	@Override
	ErlangPeer peer() {
		// not the node Java calls: what Java wrote must have been replicated to be seen here
		return replicas.get(1);
	}

	@Override
	String erlangCall(String function, String args) {
		return "spring_bridge_mnesia:" + function + "(" + TABLE + ", " + args + ")";
	}

	@Test
	void theTableIsReplicatedOnEveryNodeNamed() {
		String key = key("replicated");
		template.set(key, 42);
		for (ErlangPeer replica : replicas) {
			assertThat(replica.eval("lists:sort(mnesia:table_info(" + TABLE + ", ram_copies)) =:= lists:sort(["
					+ String.join(", ", names(replicas).stream().map((n) -> "'" + n + "'").toList()) + "])"))
				.isEqualTo(new OtpErlangAtom("true"));
			// each replica reads its own copy, without asking another node
			assertThat(replica.eval("[{spring_state, _, V, infinity}] = mnesia:dirty_read(" + TABLE + ", " + bin(key)
					+ "), V")).isEqualTo(new OtpErlangLong(42));
		}
	}

	@Test
	void killingAReplicaUnderLoadLosesNoAcknowledgedWriteAndTheRestartedNodeCatchesUp() throws Exception {
		List<ErlangPeer> nodes = cluster(3, replicas.get(0).cookie());
		nodes.forEach((replica) -> loader.load(replica.nodeName()));
		String table = "esb_state_kill";
		StateTemplate state = new StateTemplate(StateBackend.mnesia(node, names(nodes), table, Duration.ofSeconds(10),
				loader::load), new DefaultErlangConverter());
		assertThat(state.incr("counter")).isEqualTo(1);

		// Erlang writes through the third replica, counting what was acknowledged
		ErlangPeer erlangWriter = nodes.get(2);
		erlangWriter.eval("W = fun Loop(I, Acked) -> receive {stop, From} -> From ! {acked, lists:reverse(Acked)} "
				+ "after 0 -> try spring_bridge_mnesia:set(" + table + ", integer_to_binary(I), I) of ok -> "
				+ "Loop(I + 1, [I | Acked]) catch _:_ -> Loop(I + 1, Acked) end end end, "
				+ "register(esb_mnesia_writer, spawn(fun() -> W(1, []) end)), ok");

		// Java writes through the first replica (its preferred node): keys and a counter
		AtomicBoolean running = new AtomicBoolean(true);
		List<Integer> javaAcked = new java.util.concurrent.CopyOnWriteArrayList<>();
		AtomicLong increments = new AtomicLong(1);
		AtomicLong incrementsFailed = new AtomicLong();
		AtomicLong writesFailed = new AtomicLong();
		CompletableFuture<Void> javaWriter = CompletableFuture.runAsync(() -> {
			for (int i = 1; running.get(); i++) {
				try {
					state.set("j-" + i, i);
					javaAcked.add(i);
				}
				catch (ErlangException ex) {
					writesFailed.incrementAndGet();
				}
				try {
					state.incr("counter");
					increments.incrementAndGet();
				}
				catch (ErlangException ex) {
					incrementsFailed.incrementAndGet();
				}
			}
		});

		Duration generous = Duration.ofSeconds(60);
		await().atMost(generous).until(() -> javaAcked.size() >= 50 || javaWriter.isDone());
		ErlangPeer killed = nodes.get(0);
		killed.kill();
		int ackedAtKill = javaAcked.size();
		await().atMost(generous).until(() -> javaAcked.size() >= ackedAtKill + 100 || javaWriter.isDone());
		running.set(false);
		javaWriter.get();
		OtpErlangList erlangAcked = (OtpErlangList) ((OtpErlangTuple) erlangWriter.eval(
				"esb_mnesia_writer ! {stop, self()}, receive {acked, A} -> {acked, A} after 30000 -> timeout end"))
			.elementAt(1);
		assertThat(javaAcked.size()).as("Java went on writing through the other replicas").isGreaterThan(ackedAtKill + 99);
		assertThat(erlangAcked.arity()).isPositive();
		System.out.printf("mnesia kill: Java acknowledged %d writes (%d failed) and %d increments (%d failed); "
				+ "Erlang %d writes%n", javaAcked.size(), writesFailed.get(), increments.get(), incrementsFailed.get(),
				erlangAcked.arity());

		// the killed node comes back empty, joins again and loads the table from the others
		ErlangPeer restarted = killed.restart();
		loader.load(restarted.nodeName());
		assertThat(restarted.eval("spring_bridge_mnesia:ensure_table(" + table + ", ['"
				+ String.join("', '", names(nodes)) + "'])")).hasToString("ok");
		for (ErlangPeer replica : List.of(restarted, nodes.get(1))) {
			String javaKeys = javaAcked.stream().map(String::valueOf).collect(Collectors.joining(","));
			assertThat(replica.eval("[I || I <- [" + javaKeys + "], mnesia:dirty_read(" + table
					+ ", <<\"j-\", (integer_to_binary(I))/binary>>) =:= []]"))
				.as("acknowledged Java writes missing on " + replica.nodeName())
				.isEqualTo(new OtpErlangList());
			assertThat(replica.eval("[I || I <- " + erlangAcked + ", mnesia:dirty_read(" + table
					+ ", integer_to_binary(I)) =:= []]"))
				.as("acknowledged Erlang writes missing on " + replica.nodeName())
				.isEqualTo(new OtpErlangList());
			long counter = ((OtpErlangLong) replica.eval("[{spring_state, _, V, _}] = mnesia:dirty_read(" + table
					+ ", <<\"counter\">>), V")).longValue();
			// an increment whose answer was lost with the node may or may not have been committed
			assertThat(counter).isBetween(increments.get(), increments.get() + incrementsFailed.get());
		}
	}

}
