package io.github.erlangspring.node;

import org.slf4j.Logger;

/**
 * Logs at most {@code burst} lines per period, then one line telling how many were left out:
 * events a remote party can cause at will (failed handshakes) must not flood the log.
 */
final class RateLimitedLog {

	private final Logger logger;

	private final int burst;

	private final long periodMillis;

	private long periodStart;

	private int logged;

	private long suppressed;

	RateLimitedLog(Logger logger, int burst, long periodMillis) {
		this.logger = logger;
		this.burst = burst;
		this.periodMillis = periodMillis;
	}

	void warn(String format, Object... args) {
		if (this.logger.isWarnEnabled() && admit()) {
			this.logger.warn(format, args);
		}
	}

	void info(String format, Object... args) {
		if (this.logger.isInfoEnabled() && admit()) {
			this.logger.info(format, args);
		}
	}

	private synchronized boolean admit() {
		long now = System.currentTimeMillis();
		if (now - this.periodStart >= this.periodMillis) {
			if (this.suppressed > 0) {
				this.logger.warn("{} similar log lines left out in the last {} s", this.suppressed,
						this.periodMillis / 1000);
			}
			this.periodStart = now;
			this.logged = 0;
			this.suppressed = 0;
		}
		if (this.logged < this.burst) {
			this.logged++;
			return true;
		}
		this.suppressed++;
		return false;
	}

}
