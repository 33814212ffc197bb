package io.github.erlangspring.autoconfigure;

import java.util.List;

/** {@link ErlangConnectionDetails} from {@link ErlangProperties}. */
class PropertiesErlangConnectionDetails implements ErlangConnectionDetails {

	private final ErlangProperties properties;

	PropertiesErlangConnectionDetails(ErlangProperties properties) {
		this.properties = properties;
	}

	@Override
	public String getCookie() {
		String cookie = this.properties.getCookie();
		return (cookie != null && !cookie.isBlank()) ? cookie : null;
	}

	@Override
	public String getDefaultPeer() {
		return this.properties.getDefaultPeer();
	}

	@Override
	public List<String> getPeers() {
		return this.properties.getConnect();
	}

}
