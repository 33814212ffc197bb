package io.github.erlangspring.pubsub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.ericsson.otp.erlang.OtpErlangBinary;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import io.github.erlangspring.node.ErlangNode;
import io.github.erlangspring.node.NodeConfig;
import io.github.erlangspring.test.ErlangPeer;
import io.github.erlangspring.test.ErlangPeerExtension;
import io.github.erlangspring.test.ErlangRuntime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two visible Erlang nodes running the default pg scope and two hidden Java nodes running theirs,
 * all connected to each other; stopped by {@link #close()}.
 */
final class Cluster implements AutoCloseable {

	final ErlangPeer e1;

	final ErlangPeer e2;

	final ErlangNode j1;

	final ErlangNode j2;

	final PgScope scope1;

	final PgScope scope2;

	/** The pid of e1's pg scope when the cluster started: nothing the Java scopes send may crash it. */
	final OtpErlangObject e1Scope;

	private final List<AutoCloseable> extra = new ArrayList<>();

	Cluster(ErlangPeerExtension erlang) {
		this.e1 = erlang.peer().args("-kernel", "start_pg", "true").start();
		this.e2 = erlang.peer().cookie(this.e1.cookie()).args("-kernel", "start_pg", "true").start();
		assertThat(this.e1.eval("net_adm:ping('" + this.e2.nodeName() + "')")).hasToString("pong");
		this.j1 = javaNode("esb_ps", this.e1.cookie());
		this.j2 = javaNode("esb_ps", this.e1.cookie());
		this.e1Scope = this.e1.eval("whereis(pg)");
		this.scope1 = PgScope.start(this.j1, "pg");
		this.scope2 = PgScope.start(this.j2, "pg");
		connect(this.j1, this.e1, this.e2);
		connect(this.j2, this.e1, this.e2);
		assertThat(this.j1.ping(this.j2.name(), Duration.ofSeconds(5))).isTrue();
	}

	static ErlangNode javaNode(String prefix, String cookie) {
		ErlangRuntime.ensureEpmd();
		try {
			return ErlangNode.start(NodeConfig.builder(ErlangPeer.uniqueAlive(prefix) + "@127.0.0.1").cookie(cookie).build());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void connect(ErlangNode node, ErlangPeer... peers) {
		for (ErlangPeer peer : peers) {
			assertThat(node.ping(peer.nodeName(), Duration.ofSeconds(5))).as("ping " + peer.nodeName()).isTrue();
		}
	}

	/** Closes this with the cluster. */
	<T extends AutoCloseable> T track(T closeable) {
		this.extra.add(closeable);
		return closeable;
	}

	/** What each node sees as the members of a group of the default scope. */
	Map<String, List<OtpErlangPid>> views(String erlangGroup, OtpErlangObject javaGroup) {
		Map<String, List<OtpErlangPid>> views = new LinkedHashMap<>();
		views.put("e1", erlangMembers(this.e1, "pg", erlangGroup));
		views.put("e2", erlangMembers(this.e2, "pg", erlangGroup));
		views.put("j1", this.scope1.members(javaGroup));
		views.put("j2", this.scope2.members(javaGroup));
		return views;
	}

	/** Asserts that every node sees exactly {@code expected} (in any order, with repeats). */
	void assertViews(String erlangGroup, OtpErlangObject javaGroup, List<OtpErlangPid> expected) {
		views(erlangGroup, javaGroup)
			.forEach((node, members) -> assertThat(members).as("members of " + erlangGroup + " seen from " + node)
				.containsExactlyInAnyOrderElementsOf(expected));
	}

	static List<OtpErlangPid> erlangMembers(ErlangPeer peer, String scope, String erlangGroup) {
		OtpErlangObject result = peer.eval("esb_pubsub_test:members(" + scope + ", " + erlangGroup + ")");
		return pids(result);
	}

	static List<OtpErlangPid> pids(OtpErlangObject list) {
		List<OtpErlangPid> pids = new ArrayList<>();
		for (OtpErlangObject element : ((OtpErlangList) list).elements()) {
			pids.add((OtpErlangPid) element);
		}
		return pids;
	}

	static OtpErlangBinary binary(String text) {
		return new OtpErlangBinary(text.getBytes(StandardCharsets.UTF_8));
	}

	/** {@code <<"text">>} as Erlang source. */
	static String erlBinary(String text) {
		return "<<\"" + text + "\">>";
	}

	@Override
	public void close() {
		for (AutoCloseable closeable : this.extra) {
			try {
				closeable.close();
			}
			catch (Exception ex) {
				// best effort
			}
		}
		this.scope1.close();
		this.scope2.close();
		this.j1.close(Duration.ZERO);
		this.j2.close(Duration.ZERO);
	}

}
