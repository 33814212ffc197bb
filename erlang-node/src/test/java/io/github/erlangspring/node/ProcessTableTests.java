package io.github.erlangspring.node;

import java.util.ArrayList;
import java.util.List;

import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monitors our processes hold, indexed by owner: an exiting process drops its own (and only
 * those) without a look at everyone's, and released or fired monitors leave no trace.
 */
class ProcessTableTests {

	private final ProcessTable table = new ProcessTable("me@h", 1);

	/** Local targets that are not in the table: a demonitor finds nobody to tell (no connection needed). */
	private final Signals signals = new Signals(this.table, null);

	private final List<OtpErlangObject> downs = new ArrayList<>();

	private OtpErlangRef hold(OtpErlangPid owner, int target) {
		OtpErlangRef ref = this.table.newRef();
		this.table.holdMonitor(ref, new ProcessTable.HeldMonitor(owner, "me@h",
				new OtpErlangPid("me@h", 1000 + target, 0, 1), this.downs::add));
		return ref;
	}

	@Test
	void anExitingOwnerDropsItsOwnMonitorsOnly() {
		OtpErlangPid scope = new OtpErlangPid("me@h", 1, 0, 1);
		OtpErlangPid other = new OtpErlangPid("me@h", 2, 0, 1);
		for (int i = 0; i < 10_000; i++) {
			hold(scope, i);
		}
		List<OtpErlangRef> others = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			others.add(hold(other, i));
		}
		assertThat(this.table.heldMonitorCount()).isEqualTo(10_010);
		assertThat(this.table.monitorOwnerCount()).isEqualTo(2);

		this.table.dropMonitorsOwnedBy(scope, this.signals);
		assertThat(this.table.heldMonitorCount()).isEqualTo(10);
		assertThat(this.table.monitorOwnerCount()).isEqualTo(1);
		assertThat(this.downs).as("dropped, not fired").isEmpty();

		assertThat(this.table.releaseMonitor(others.get(0))).isNotNull();
		this.table.monitorFired(others.get(1), "elsewhere@h", Terms.NORMAL);
		assertThat(this.downs).as("only the monitored node says so").isEmpty();
		this.table.monitorFired(others.get(1), "me@h", Terms.NORMAL);
		assertThat(this.downs).containsExactly(Terms.NORMAL);
		assertThat(this.table.heldMonitorCount()).isEqualTo(8);

		this.table.dropMonitorsOwnedBy(other, this.signals);
		assertThat(this.table.heldMonitorCount()).isZero();
		assertThat(this.table.monitorOwnerCount()).as("no owner left behind").isZero();
	}

	@Test
	void releasedAndFiredMonitorsLeaveNoOwnerBehind() {
		OtpErlangPid owner = new OtpErlangPid("me@h", 1, 0, 1);
		OtpErlangRef released = hold(owner, 1);
		OtpErlangRef fired = hold(owner, 2);
		this.table.releaseMonitor(released);
		assertThat(this.table.monitorOwnerCount()).isOne();
		this.table.monitorFired(fired, "me@h", Terms.NORMAL);
		assertThat(this.table.monitorOwnerCount()).isZero();
		this.table.dropMonitorsOwnedBy(owner, this.signals);
		assertThat(this.table.heldMonitorCount()).isZero();
	}

}
