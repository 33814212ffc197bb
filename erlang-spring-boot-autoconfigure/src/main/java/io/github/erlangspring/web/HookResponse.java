package io.github.erlangspring.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * A response that runs a callback (the {@code on_response} hook) once, just before the first byte
 * of the body is written or the response is flushed, redirected or sent as an error: the status
 * and headers are settled by then and can still be changed. Nothing is buffered, so streamed
 * responses (server-sent events, downloads) stay streamed. After {@link #discard()}, the body the
 * application writes is dropped.
 */
final class HookResponse extends HttpServletResponseWrapper {

	private final Runnable beforeCommit;

	private boolean called;

	private boolean discarding;

	private ServletOutputStream stream;

	private PrintWriter writer;

	HookResponse(HttpServletResponse response, Runnable beforeCommit) {
		super(response);
		this.beforeCommit = beforeCommit;
	}

	/** Runs the callback unless it ran already. */
	void beforeCommit() {
		if (!this.called) {
			this.called = true;
			this.beforeCommit.run();
		}
	}

	/** @return whether the callback ran */
	boolean called() {
		return this.called;
	}

	/** Drops what the application writes from now on (the response was answered otherwise). */
	void discard() {
		this.discarding = true;
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		if (this.stream == null) {
			this.stream = new HookOutputStream(super.getOutputStream());
		}
		return this.stream;
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		if (this.writer == null) {
			this.writer = new PrintWriter(new HookWriter(super.getWriter()));
		}
		return this.writer;
	}

	@Override
	public void flushBuffer() throws IOException {
		beforeCommit();
		super.flushBuffer();
	}

	@Override
	public void sendError(int sc) throws IOException {
		sendError(sc, null);
	}

	@Override
	public void sendError(int sc, String msg) throws IOException {
		super.setStatus(sc);
		beforeCommit();
		if (this.discarding) {
			return;
		}
		if (msg != null) {
			super.sendError(getStatus(), msg);
		}
		else {
			super.sendError(getStatus());
		}
	}

	@Override
	public void sendRedirect(String location) throws IOException {
		beforeCommit();
		if (!this.discarding) {
			super.sendRedirect(location);
		}
	}

	private final class HookOutputStream extends ServletOutputStream {

		private final ServletOutputStream delegate;

		HookOutputStream(ServletOutputStream delegate) {
			this.delegate = delegate;
		}

		@Override
		public void write(int b) throws IOException {
			beforeCommit();
			if (!HookResponse.this.discarding) {
				this.delegate.write(b);
			}
		}

		@Override
		public void write(byte[] b, int off, int len) throws IOException {
			beforeCommit();
			if (!HookResponse.this.discarding) {
				this.delegate.write(b, off, len);
			}
		}

		@Override
		public void flush() throws IOException {
			beforeCommit();
			if (!HookResponse.this.discarding) {
				this.delegate.flush();
			}
		}

		@Override
		public void close() throws IOException {
			beforeCommit();
			this.delegate.close();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setWriteListener(WriteListener listener) {
			this.delegate.setWriteListener(listener);
		}

	}

	private final class HookWriter extends Writer {

		private final PrintWriter delegate;

		HookWriter(PrintWriter delegate) {
			this.delegate = delegate;
		}

		@Override
		public void write(char[] buffer, int off, int len) {
			beforeCommit();
			if (!HookResponse.this.discarding) {
				this.delegate.write(buffer, off, len);
			}
		}

		@Override
		public void flush() {
			beforeCommit();
			if (!HookResponse.this.discarding) {
				this.delegate.flush();
			}
		}

		@Override
		public void close() {
			beforeCommit();
			this.delegate.close();
		}

	}

}
