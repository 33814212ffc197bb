package io.github.erlangspring.node;

/**
 * How the node finds an EPMD (the Erlang Port Mapper Daemon) to register with.
 */
public enum EpmdMode {

	/** Use the EPMD running on this machine; fail to start if there is none. */
	OFF,

	/** Use the running EPMD, or start one embedded in this JVM when none runs. */
	AUTO,

	/** Always serve EPMD from this JVM; fail to start if its port is taken. */
	ALWAYS

}
