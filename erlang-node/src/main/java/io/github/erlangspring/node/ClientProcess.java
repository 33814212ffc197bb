package io.github.erlangspring.node;

import java.util.function.Consumer;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangTuple;

/**
 * The process the node's own sends and calls come from. Replies to calls normally arrive through
 * aliases; a server that replies to the pid instead (as {@code net_kernel} does) still reaches
 * the waiting call, since the reply carries the alias in its tag. Anything else is dropped.
 */
final class ClientProcess extends LocalProcess {

	ClientProcess(OtpErlangPid pid, Signals signals) {
		super(pid, signals);
	}

	@Override
	void deliver(OtpErlangObject message) {
		if (message instanceof OtpErlangTuple tuple && tuple.arity() == 2) {
			OtpErlangRef alias = GenMessage.From.aliasOf(tuple.elementAt(0));
			Consumer<OtpErlangObject> waiting = (alias != null) ? this.signals.table().alias(alias) : null;
			if (waiting != null) {
				waiting.accept(message);
			}
		}
	}

	@Override
	void exitSignal(OtpErlangPid from, OtpErlangObject reason, boolean viaLink) {
		// The node's client process lives as long as the node.
	}

}
