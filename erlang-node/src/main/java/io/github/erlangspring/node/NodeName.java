package io.github.erlangspring.node;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * A node name as OTP accepts it: {@code alive@host}. A name with a dotted or IP host is a long
 * name ({@code -name}); a host without dots is a short name ({@code -sname}). A bare
 * {@code alive} gets this machine's short host name, as {@code erl -sname alive} does.
 *
 * @param alive the part before {@code @}
 * @param host the part after {@code @}
 * @param longName whether this is a long name
 */
public record NodeName(String alive, String host, boolean longName) {

	private static final Pattern ALIVE = Pattern.compile("[A-Za-z0-9_-]{1,255}");

	private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:\\[\\]-]{1,255}");

	/**
	 * Parses a node name.
	 * @param name e.g. {@code app@127.0.0.1}, {@code app@myhost} or {@code app}
	 * @return the parsed name
	 * @throws IllegalArgumentException when the name is not one OTP would accept
	 */
	public static NodeName parse(String name) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("node name is empty");
		}
		int at = name.indexOf('@');
		String alive = (at < 0) ? name : name.substring(0, at);
		String host = (at < 0) ? localShortHost() : name.substring(at + 1);
		if (!ALIVE.matcher(alive).matches()) {
			throw new IllegalArgumentException("invalid node name '" + name
					+ "': the part before '@' must be 1-255 letters, digits, '_' or '-'");
		}
		if (host.isEmpty() || host.indexOf('@') >= 0 || !HOST.matcher(host).matches()) {
			throw new IllegalArgumentException("invalid node name '" + name + "': bad host part '" + host + "'");
		}
		boolean longName = host.indexOf('.') >= 0 || host.indexOf(':') >= 0;
		return new NodeName(alive, host, longName);
	}

	private static String localShortHost() {
		try {
			String host = InetAddress.getLocalHost().getHostName();
			int dot = host.indexOf('.');
			return (dot > 0) ? host.substring(0, dot) : host;
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

	@Override
	public String toString() {
		return this.alive + "@" + this.host;
	}

}
