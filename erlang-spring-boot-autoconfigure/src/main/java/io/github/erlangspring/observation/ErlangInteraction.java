package io.github.erlangspring.observation;

import java.util.Locale;

/** What kind of interaction an observation covers; its tag value is the lower-case name. */
public enum ErlangInteraction {

	/** An {@code erpc}/{@code rpc} call (client: Java calls Erlang; server: Erlang calls an {@code @ErlangRpc} method). */
	RPC,

	/** A {@code gen_server:call}. */
	CALL,

	/** A {@code gen_server:cast}. */
	CAST,

	/** A plain message: sent by Java, or handled by an {@code @ErlangProcess} as {@code handle_info}. */
	SEND,

	/** A function registered with {@code spring_bridge}, called or cast from Java. */
	FUNCTION,

	/** A publish to a pg group. */
	PUBLISH,

	/** A message delivered to a subscriber. */
	DELIVERY,

	/** A state operation ({@code StateTemplate}). */
	STATE;

	/** @return the tag value: the name in lower case */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

}
