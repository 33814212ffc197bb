package io.github.erlangspring.node;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Threads} chooses virtual threads at run time: on Java 21+ when asked for, daemon platform
 * threads otherwise (this class runs on the Maven JDK and, in the build's second run, on Java 21+).
 */
class ThreadsTests {

	private static final boolean JAVA_21 = Runtime.version().feature() >= 21;

	@Test
	void virtualThreadsAreAvailableFromJava21() {
		assertThat(Threads.virtualThreadsAvailable()).isEqualTo(JAVA_21);
	}

	@Test
	void askedForVirtualThreadsTheFactoryMakesThemWhereTheJvmCan() throws Exception {
		Thread thread = Threads.factory("esb-v", true).newThread(() -> {
		});
		assertThat(isVirtual(thread)).isEqualTo(JAVA_21);
		assertThat(thread.getName()).isEqualTo("esb-v-1");
		assertThat(thread.isDaemon()).isTrue();
	}

	@Test
	void otherwiseItMakesDaemonPlatformThreads() throws Exception {
		Thread thread = Threads.factory("esb-p", false).newThread(() -> {
		});
		assertThat(isVirtual(thread)).isFalse();
		assertThat(thread.isDaemon()).isTrue();
	}

	@Test
	void startRunsTheTaskOnTheKindOfThreadAskedFor() throws Exception {
		CompletableFuture<Boolean> ran = new CompletableFuture<>();
		Threads.start("esb-start", true, () -> ran.complete(isVirtual(Thread.currentThread())));
		assertThat(ran.get(10, TimeUnit.SECONDS)).isEqualTo(JAVA_21);
	}

	static boolean isVirtual(Thread thread) {
		try {
			return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
		catch (ReflectiveOperationException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
