package io.github.erlangspring.node;

import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The observers of a node as one: each hears every event, and one that throws neither stops the
 * others nor reaches the engine.
 */
final class NodeObservers implements NodeObserver {

	private static final Logger logger = LoggerFactory.getLogger(NodeObservers.class);

	private final NodeObserver[] observers;

	private NodeObservers(List<NodeObserver> observers) {
		this.observers = observers.toArray(new NodeObserver[0]);
	}

	static NodeObserver of(List<NodeObserver> observers) {
		return observers.isEmpty() ? NodeObserver.NONE : new NodeObservers(observers);
	}

	private void each(String event, Consumer<NodeObserver> call) {
		for (NodeObserver observer : this.observers) {
			try {
				call.accept(observer);
			}
			catch (RuntimeException ex) {
				logger.warn("Node observer {} failed on {}", observer, event, ex);
			}
		}
	}

	@Override
	public void connectionUp(String node, boolean hidden) {
		each("connectionUp", (o) -> o.connectionUp(node, hidden));
	}

	@Override
	public void connectionDown(ErlangNode.ConnectionInfo last, DisconnectReason reason) {
		each("connectionDown", (o) -> o.connectionDown(last, reason));
	}

	@Override
	public void tickTimeout(String node) {
		each("tickTimeout", (o) -> o.tickTimeout(node));
	}

	@Override
	public void sendDropped(String node, int count) {
		each("sendDropped", (o) -> o.sendDropped(node, count));
	}

	@Override
	public void malformedFrame(String node, String reason) {
		each("malformedFrame", (o) -> o.malformedFrame(node, reason));
	}

	@Override
	public void rpcServed(String module, String function, int arity, RpcOutcome outcome, long nanos) {
		each("rpcServed", (o) -> o.rpcServed(module, function, arity, outcome, nanos));
	}

	@Override
	public void rpcCalled(String node, String module, String function, int arity, Throwable failure, long nanos) {
		each("rpcCalled", (o) -> o.rpcCalled(node, module, function, arity, failure, nanos));
	}

	@Override
	public void mailboxRegistered(String name, Mailbox mailbox) {
		each("mailboxRegistered", (o) -> o.mailboxRegistered(name, mailbox));
	}

	@Override
	public void messageHandled(String process, MessageKind kind, Result outcome, long nanos) {
		each("messageHandled", (o) -> o.messageHandled(process, kind, outcome, nanos));
	}

	@Override
	public void published(String scope, int recipients) {
		each("published", (o) -> o.published(scope, recipients));
	}

	@Override
	public void delivered(String scope) {
		each("delivered", (o) -> o.delivered(scope));
	}

	@Override
	public void stateOperation(String backend, String operation, Result outcome, long nanos) {
		each("stateOperation", (o) -> o.stateOperation(backend, operation, outcome, nanos));
	}

	@Override
	public String toString() {
		return "NodeObservers" + List.of(this.observers);
	}

}
