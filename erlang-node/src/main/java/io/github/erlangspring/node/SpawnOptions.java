package io.github.erlangspring.node;

/**
 * How to {@link ErlangNode#spawn(ProcessHandler, SpawnOptions) spawn} a process: an optional
 * registered name, a process to link it to ({@code spawn_link}), and whether it traps exits.
 * <p>
 * For {@code spawn_monitor}, call {@code watcher.monitor(spawned.self())} right after spawning:
 * a spawned process runs only when it has a message, and before its pid is returned nobody but
 * a sender to its registered name can send it one, so it cannot have exited unseen.
 *
 * @param name the registered name, or {@code null}
 * @param linkTo link the new process to this one before it is reachable, or {@code null}
 * @param trapExits whether exit signals become {@code {'EXIT', From, Reason}} messages
 */
public record SpawnOptions(String name, Mailbox linkTo, boolean trapExits) {

	/** No name, no link, not trapping exits. */
	public static final SpawnOptions DEFAULT = new SpawnOptions(null, null, false);

	/** @return these options with a registered name */
	public SpawnOptions withName(String name) {
		return new SpawnOptions(name, this.linkTo, this.trapExits);
	}

	/** @return these options, linking the new process to {@code parent} ({@code spawn_link}) */
	public SpawnOptions linkedTo(Mailbox parent) {
		return new SpawnOptions(this.name, parent, this.trapExits);
	}

	/** @return these options with exit trapping on or off */
	public SpawnOptions trappingExits(boolean trap) {
		return new SpawnOptions(this.name, this.linkTo, trap);
	}

}
