package io.github.erlangspring.node;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the node's threads come from: virtual threads when asked for and the JVM has them (Java
 * 21+), daemon platform threads otherwise. Compiled for Java 17, so virtual threads are reached
 * through method handles.
 */
public final class Threads {

	private static final MethodHandle[] VIRTUAL = virtualHandles();

	private static final MethodHandle OF_VIRTUAL = (VIRTUAL != null) ? VIRTUAL[0] : null;

	private Threads() {
	}

	/** @return whether this JVM can create virtual threads */
	public static boolean virtualThreadsAvailable() {
		return OF_VIRTUAL != null;
	}

	/**
	 * A factory of named threads: {@code prefix-1}, {@code prefix-2}, ...
	 * @param prefix the name prefix
	 * @param virtual whether the threads are virtual (ignored where the JVM has none)
	 * @return the factory
	 */
	public static ThreadFactory factory(String prefix, boolean virtual) {
		AtomicInteger count = new AtomicInteger();
		if (virtual && OF_VIRTUAL != null) {
			return (runnable) -> virtualThread(prefix + "-" + count.incrementAndGet(), runnable);
		}
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Starts a thread.
	 * @param name its name
	 * @param virtual whether it is virtual (ignored where the JVM has none)
	 * @param task what it runs
	 * @return the started thread
	 */
	public static Thread start(String name, boolean virtual, Runnable task) {
		Thread thread;
		if (virtual && OF_VIRTUAL != null) {
			thread = virtualThread(name, task);
		}
		else {
			thread = new Thread(task, name);
			thread.setDaemon(true);
		}
		thread.start();
		return thread;
	}

	/**
	 * Whether the current thread must not block: an event loop, as Reactor marks them (Reactor
	 * Netty's event loops, which serve WebFlux, and Reactor's parallel and single schedulers
	 * implement {@code reactor.core.scheduler.NonBlocking}). Found by the interface's name, so
	 * the engine does not need Reactor; a few nanoseconds per call (one lookup per thread class).
	 * @return whether the current thread is marked non-blocking
	 */
	public static boolean onNonBlockingThread() {
		return NON_BLOCKING.get(Thread.currentThread().getClass());
	}

	private static final ClassValue<Boolean> NON_BLOCKING = new ClassValue<>() {

		@Override
		protected Boolean computeValue(Class<?> type) {
			for (Class<?> current = type; current != null; current = current.getSuperclass()) {
				for (Class<?> implemented : current.getInterfaces()) {
					if (marksNonBlocking(implemented)) {
						return true;
					}
				}
			}
			return false;
		}

		private boolean marksNonBlocking(Class<?> type) {
			if (type.getName().equals("reactor.core.scheduler.NonBlocking")) {
				return true;
			}
			for (Class<?> parent : type.getInterfaces()) {
				if (marksNonBlocking(parent)) {
					return true;
				}
			}
			return false;
		}

	};

	private static Thread virtualThread(String name, Runnable task) {
		try {
			Object builder = VIRTUAL[0].invoke();
			builder = VIRTUAL[1].invoke(builder, name);
			return (Thread) VIRTUAL[2].invoke(builder, task);
		}
		catch (RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** {@code Thread.ofVirtual()}, {@code OfVirtual.name(String)}, {@code Builder.unstarted(Runnable)}; null before Java 21. */
	private static MethodHandle[] virtualHandles() {
		try {
			MethodHandles.Lookup lookup = MethodHandles.publicLookup();
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			Class<?> virtualType = Class.forName("java.lang.Thread$Builder$OfVirtual");
			MethodHandle ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(virtualType))
				.asType(MethodType.methodType(Object.class));
			MethodHandle name = lookup.findVirtual(virtualType, "name", MethodType.methodType(virtualType, String.class))
				.asType(MethodType.methodType(Object.class, Object.class, String.class));
			MethodHandle unstarted = lookup
				.findVirtual(builderType, "unstarted", MethodType.methodType(Thread.class, Runnable.class))
				.asType(MethodType.methodType(Thread.class, Object.class, Runnable.class));
			return new MethodHandle[] { ofVirtual, name, unstarted };
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
