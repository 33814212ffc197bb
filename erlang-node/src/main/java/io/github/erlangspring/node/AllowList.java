package io.github.erlangspring.node;

import java.util.List;

/**
 * The nodes allowed to connect in, matched as {@code dist_util:is_allowed/2} matches
 * {@code net_kernel:allow/1}'s list: an entry is a node name ({@code "app@host"}), a host name
 * ({@code "host"}) or a name before the {@code @} ({@code "app@"}). An empty list allows every node.
 */
final class AllowList {

	private final List<String> entries;

	AllowList(List<String> entries) {
		this.entries = List.copyOf(entries);
	}

	boolean allows(String node) {
		if (this.entries.isEmpty()) {
			return true;
		}
		int at = node.indexOf('@');
		String name = node.substring(0, at);
		String host = node.substring(at + 1);
		for (String entry : this.entries) {
			int entryAt = entry.indexOf('@');
			if (entryAt < 0) {
				if (entry.equals(host)) {
					return true;
				}
			}
			else if (entryAt == entry.length() - 1) {
				if (entry.regionMatches(0, name, 0, entryAt) && name.length() == entryAt) {
					return true;
				}
			}
			else if (entry.equals(node)) {
				return true;
			}
		}
		return false;
	}

	/** @return whether {@code entry} is a node name, a host name or a name followed by {@code @} */
	static boolean isValidEntry(String entry) {
		if (entry == null || entry.isEmpty()) {
			return false;
		}
		int at = entry.indexOf('@');
		if (at < 0) {
			return true;
		}
		return at > 0 && entry.indexOf('@', at + 1) < 0;
	}

}
