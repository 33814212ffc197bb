package io.github.erlangspring.node.epmd;

import java.io.IOException;
import java.net.Socket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node name registered with EPMD by {@link EpmdClient#register(String, int, boolean)}.
 * <p>
 * EPMD keeps a name registered for as long as the TCP connection that registered it stays open,
 * so this object owns that connection and must be kept for the whole life of the node;
 * {@link #close()} closes the connection, which is how a node unregisters. Nothing is ever read
 * from or written to the connection after the registration response.
 * <p>
 * Instances are thread-safe.
 */
public final class Registration implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(Registration.class);

	private final Socket socket;

	private final String alive;

	private final int listenPort;

	private final int creation;

	Registration(Socket socket, String alive, int listenPort, int creation) {
		this.socket = socket;
		this.alive = alive;
		this.listenPort = listenPort;
		this.creation = creation;
	}

	/**
	 * Returns the registered name (the part of the node name before {@code @}).
	 * @return the registered name
	 */
	public String alive() {
		return this.alive;
	}

	/**
	 * Returns the distribution listen port that was registered.
	 * @return the registered port
	 */
	public int listenPort() {
		return this.listenPort;
	}

	/**
	 * Returns the creation EPMD assigned to this incarnation of the node. It is a 32-bit unsigned
	 * value (use {@link Integer#toUnsignedLong(int)} to print it), non-zero, and differs from the
	 * creation of the previous incarnation of a node with the same name; EPMDs older than OTP 23
	 * assign 16-bit creations from 1 to 3.
	 * @return the creation
	 */
	public int creation() {
		return this.creation;
	}

	/**
	 * Returns whether the registration has not been closed. This does not probe EPMD: a
	 * registration whose EPMD died still reports {@code true}.
	 * @return {@code true} until {@link #close()}
	 */
	public boolean isOpen() {
		return !this.socket.isClosed();
	}

	/**
	 * Unregisters the name by closing the registration connection. Idempotent.
	 */
	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			logger.debug("Error closing the EPMD registration of '{}'", this.alive, ex);
		}
	}

	@Override
	public String toString() {
		return "Registration[alive=" + this.alive + ", port=" + this.listenPort + ", creation="
				+ Integer.toUnsignedString(this.creation) + ", open=" + isOpen() + "]";
	}

}
