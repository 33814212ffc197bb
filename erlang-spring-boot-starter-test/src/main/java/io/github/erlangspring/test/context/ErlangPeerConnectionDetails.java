package io.github.erlangspring.test.context;

import java.util.List;

import io.github.erlangspring.autoconfigure.ErlangConnectionDetails;
import io.github.erlangspring.test.ErlangPeer;

/** {@link ErlangConnectionDetails} of a peer started for a test context. */
final class ErlangPeerConnectionDetails implements ErlangConnectionDetails {

	private final ErlangPeer peer;

	private final boolean connect;

	ErlangPeerConnectionDetails(ErlangPeer peer, boolean connect) {
		this.peer = peer;
		this.connect = connect;
	}

	@Override
	public String getCookie() {
		return this.peer.cookie();
	}

	@Override
	public String getDefaultPeer() {
		return this.peer.nodeName();
	}

	@Override
	public List<String> getPeers() {
		return this.connect ? List.of(this.peer.nodeName()) : List.of();
	}

}
