package io.github.erlangspring.test;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that starts real Erlang nodes for a test and stops every one of them
 * afterwards.
 * <pre class="code">
 * &#64;RegisterExtension
 * static final ErlangPeerExtension erlang = new ErlangPeerExtension();
 *
 * &#64;Test
 * void otpRelease() {
 *     ErlangPeer peer = erlang.start();
 *     assertThat(peer.eval("erlang:system_info(otp_release)")).hasToString("\"25\"");
 * }
 * </pre>
 * Nodes started inside a test method stop after that method; nodes started in
 * {@code @BeforeAll} stop after the class.
 */
public class ErlangPeerExtension implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {

	private final List<ErlangPeer> classPeers = new ArrayList<>();

	private final List<ErlangPeer> methodPeers = new ArrayList<>();

	private boolean inMethod;

	/**
	 * Starts a node with the default options.
	 * @return the started node
	 */
	public ErlangPeer start() {
		return peer().start();
	}

	/**
	 * Options of a node to start; {@link ErlangPeer.Builder#start()} starts it under this extension.
	 * @return a builder owned by this extension
	 */
	public ErlangPeer.Builder peer() {
		return ErlangPeer.builder().owner(this);
	}

	synchronized void track(ErlangPeer peer) {
		(this.inMethod ? this.methodPeers : this.classPeers).add(peer);
	}

	@Override
	public synchronized void beforeEach(ExtensionContext context) {
		this.inMethod = true;
	}

	@Override
	public void afterEach(ExtensionContext context) {
		List<ErlangPeer> peers;
		synchronized (this) {
			this.inMethod = false;
			peers = new ArrayList<>(this.methodPeers);
			this.methodPeers.clear();
		}
		peers.forEach(ErlangPeer::close);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		List<ErlangPeer> peers;
		synchronized (this) {
			peers = new ArrayList<>(this.classPeers);
			peers.addAll(this.methodPeers);
			this.classPeers.clear();
			this.methodPeers.clear();
		}
		peers.forEach(ErlangPeer::close);
	}

}
