package io.github.erlangspring.node;

import java.util.List;

import io.github.erlangspring.node.dist.Handshake;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The matching rules of net_kernel:allow/1 and dist_util's check of peer names. */
class AllowListTests {

	@Test
	void entriesMatchAsDistUtilIsAllowed() {
		AllowList allow = new AllowList(List.of("app@host1", "host2", "worker@"));
		assertThat(allow.allows("app@host1")).isTrue();
		assertThat(allow.allows("other@host1")).isFalse();
		assertThat(allow.allows("anyone@host2")).isTrue();
		assertThat(allow.allows("worker@anywhere")).isTrue();
		assertThat(allow.allows("workers@anywhere")).isFalse();
		assertThat(allow.allows("app@host3")).isFalse();
		assertThat(new AllowList(List.of()).allows("anyone@anywhere")).isTrue();
	}

	@Test
	void entriesAreNodeNamesHostsOrNamesWithAnAt() {
		assertThat(AllowList.isValidEntry("app@host")).isTrue();
		assertThat(AllowList.isValidEntry("host")).isTrue();
		assertThat(AllowList.isValidEntry("app@")).isTrue();
		assertThat(AllowList.isValidEntry("@host")).isFalse();
		assertThat(AllowList.isValidEntry("a@b@c")).isFalse();
		assertThat(AllowList.isValidEntry("")).isFalse();
	}

	@Test
	void peerNamesHaveOneAtWithTextOnBothSides() {
		assertThat(Handshake.isValidNodeName("app@host")).isTrue();
		assertThat(Handshake.isValidNodeName("app@10.0.0.1")).isTrue();
		assertThat(Handshake.isValidNodeName("\u00e9t\u00e9@host")).isTrue();
		for (String invalid : List.of("app", "@host", "app@", "a@b@c", "app@host\n", "a\u0000@host",
				"x".repeat(256) + "@h", "a\uFFFD@host")) {
			assertThat(Handshake.isValidNodeName(invalid)).as(invalid).isFalse();
		}
	}

}
