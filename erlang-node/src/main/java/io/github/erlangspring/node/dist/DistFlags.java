package io.github.erlangspring.node.dist;

/**
 * Distribution capability flags exchanged in the handshake (kernel's {@code dist.hrl}).
 */
public final class DistFlags {

	public static final long PUBLISHED = 0x01;

	public static final long ATOM_CACHE = 0x02;

	public static final long EXTENDED_REFERENCES = 0x04;

	public static final long DIST_MONITOR = 0x08;

	public static final long FUN_TAGS = 0x10;

	public static final long DIST_MONITOR_NAME = 0x20;

	public static final long NEW_FUN_TAGS = 0x80;

	public static final long EXTENDED_PIDS_PORTS = 0x100;

	public static final long EXPORT_PTR_TAG = 0x200;

	public static final long BIT_BINARIES = 0x400;

	public static final long NEW_FLOATS = 0x800;

	public static final long UNICODE_IO = 0x1000;

	public static final long SMALL_ATOM_TAGS = 0x4000;

	public static final long UTF8_ATOMS = 0x10000;

	public static final long MAP_TAG = 0x20000;

	public static final long BIG_CREATION = 0x40000;

	public static final long SEND_SENDER = 0x80000;

	public static final long BIG_SEQTRACE_LABELS = 0x100000;

	public static final long EXIT_PAYLOAD = 0x400000;

	public static final long FRAGMENTS = 0x800000;

	public static final long HANDSHAKE_23 = 0x1000000;

	public static final long UNLINK_ID = 0x2000000;

	public static final long MANDATORY_25_DIGEST = 0x4000000;

	public static final long SPAWN = 1L << 32;

	public static final long NAME_ME = 1L << 33;

	public static final long V4_NC = 1L << 34;

	public static final long ALIAS = 1L << 35;

	/** What OTP 25 requires of every peer ({@code ?MANDATORY_DFLAGS_25}). */
	public static final long MANDATORY_25 = EXTENDED_REFERENCES | FUN_TAGS | EXTENDED_PIDS_PORTS | UTF8_ATOMS
			| NEW_FUN_TAGS | BIG_CREATION | NEW_FLOATS | MAP_TAG | EXPORT_PTR_TAG | BIT_BINARIES
			| HANDSHAKE_23;

	/** What OTP 26 and 27 add to the mandatory set. */
	public static final long MANDATORY_26 = V4_NC | UNLINK_ID;

	/**
	 * The flags this node offers. It needs no atom cache and no fragments; it serves monitors, spawn
	 * requests (erpc) and aliases, which JInterface's own node does not.
	 */
	public static final long OURS = MANDATORY_25 | MANDATORY_26 | DIST_MONITOR | DIST_MONITOR_NAME | SMALL_ATOM_TAGS
			| UNICODE_IO | SEND_SENDER | BIG_SEQTRACE_LABELS | EXIT_PAYLOAD | SPAWN | ALIAS;

	/** What we require of a peer: all that OTP 25 requires. */
	public static final long REQUIRED = MANDATORY_25;

	private DistFlags() {
	}

	/**
	 * Expands {@link #MANDATORY_25_DIGEST}, which OTP 25+ may send instead of the flags it stands
	 * for.
	 */
	static long expand(long flags) {
		return ((flags & MANDATORY_25_DIGEST) != 0) ? (flags | MANDATORY_25) : flags;
	}

	static boolean has(long flags, long flag) {
		return (flags & flag) == flag;
	}

}
