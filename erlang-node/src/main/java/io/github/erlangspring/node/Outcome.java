package io.github.erlangspring.node;

import java.util.ArrayList;
import java.util.List;

import com.ericsson.otp.erlang.OtpErlangAtom;
import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangLong;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result of running a Java function for Erlang, in Erlang's terms: a return value, or an
 * exception of class {@code throw}, {@code exit} or {@code error} with its stacktrace.
 *
 * @param erlangClass the class of the exception raised, or {@code null} when it returned
 * @param value the return value or the exception reason
 * @param stack the stacktrace of an {@code error}, else {@code null}
 */
record Outcome(ErlangClass erlangClass, OtpErlangObject value, OtpErlangList stack) {

	private static final Logger logger = LoggerFactory.getLogger(Outcome.class);

	private static final int MAX_FRAMES = 20;

	static final OtpErlangAtom RETURN = new OtpErlangAtom("return");

	boolean isReturn() {
		return this.erlangClass == null;
	}

	/**
	 * Looks the function up and runs it.
	 * @param functions where to look
	 * @param call the call
	 * @return what happened
	 */
	static Outcome invoke(FunctionTable functions, RpcCall call) {
		RpcFunction function = functions.lookup(call.module(), call.function(), call.arity());
		if (function == null) {
			return undef(call);
		}
		try {
			OtpErlangObject result = function.invoke(call);
			return new Outcome(null, (result != null) ? result : Terms.OK, null);
		}
		catch (ErlangRaiseException ex) {
			return new Outcome(ex.getErlangClass(), ex.getReason(),
					(ex.getErlangClass() == ErlangClass.ERROR) ? javaStack(ex) : null);
		}
		catch (Exception | LinkageError | AssertionError | StackOverflowError ex) {
			logger.debug("Java function {}:{}/{} failed", call.module(), call.function(), call.arity(), ex);
			return new Outcome(ErlangClass.ERROR, javaReason(ex), javaStack(ex));
		}
		catch (Throwable ex) {
			// An Error (out of memory): the call fails like a crashed process, and the process
			// that ran it still exits, so that it leaves the process table and its caller hears.
			logger.error("Java function {}:{}/{} failed", call.module(), call.function(), call.arity(), ex);
			return new Outcome(ErlangClass.ERROR, javaReason(ex), javaStack(ex));
		}
	}

	static Outcome undef(RpcCall call) {
		OtpErlangObject frame = Terms.tuple(Terms.atom(call.module()), Terms.atom(call.function()),
				new OtpErlangList(call.args().toArray(new OtpErlangObject[0])), new OtpErlangList());
		return new Outcome(ErlangClass.ERROR, Terms.atom("undef"), new OtpErlangList(frame));
	}

	/** {@code {'java.lang.IllegalStateException', <<"message">>}}: the Java class and message. */
	static OtpErlangObject javaReason(Throwable ex) {
		String message = (ex.getMessage() != null) ? ex.getMessage() : "";
		return Terms.tuple(Terms.atom(ex.getClass().getName()), Terms.binary(message));
	}

	/** Java frames as Erlang stack frames: {@code {'pkg.Class', method, 0, [{file, F}, {line, L}]}}. */
	static OtpErlangList javaStack(Throwable ex) {
		List<OtpErlangObject> frames = new ArrayList<>();
		for (StackTraceElement element : ex.getStackTrace()) {
			// the function's frames end where this engine, or reflection on its behalf, invoked it
			if (frames.size() == MAX_FRAMES || element.getClassName().equals(Outcome.class.getName())
					|| element.getClassName().startsWith(ObservedFunctions.class.getName())
					|| isReflection(element.getClassName())) {
				break;
			}
			if (frames.isEmpty() && element.getClassName().equals(ErlangRaiseException.class.getName())) {
				continue;
			}
			List<OtpErlangObject> location = new ArrayList<>();
			if (element.getFileName() != null) {
				location.add(Terms.tuple(Terms.atom("file"), new OtpErlangString(element.getFileName())));
			}
			if (element.getLineNumber() > 0) {
				location.add(Terms.tuple(Terms.atom("line"), new OtpErlangLong(element.getLineNumber())));
			}
			frames.add(Terms.tuple(Terms.atom(element.getClassName()), Terms.atom(element.getMethodName()),
					new OtpErlangLong(0), new OtpErlangList(location.toArray(new OtpErlangObject[0]))));
		}
		return new OtpErlangList(frames.toArray(new OtpErlangObject[0]));
	}

	private static boolean isReflection(String className) {
		return className.startsWith("jdk.internal.reflect.") || className.equals("java.lang.reflect.Method");
	}

	/** The exit reason of {@code erpc:execute_call/4}: {@code {Res, return, V}} and friends. */
	OtpErlangTuple erpcReason(OtpErlangObject res) {
		if (this.stack != null) {
			return Terms.tuple(res, kindAtom(), this.value, this.stack);
		}
		return Terms.tuple(res, kindAtom(), this.value);
	}

	/** What {@code rpc:block_call} via {@code rex} returns: the value, or {@code {badrpc, {'EXIT', ...}}}. */
	OtpErlangObject rexResult() {
		if (this.erlangClass == null) {
			return this.value;
		}
		return switch (this.erlangClass) {
			case THROW -> this.value;
			case EXIT -> Terms.tuple(Terms.atom("badrpc"), Terms.tuple(Terms.EXIT, this.value));
			case ERROR -> Terms.tuple(Terms.atom("badrpc"), Terms.tuple(Terms.EXIT, Terms.tuple(this.value, this.stack)));
		};
	}

	private OtpErlangAtom kindAtom() {
		return (this.erlangClass != null) ? this.erlangClass.atom() : RETURN;
	}

	/** @return {@code return}, or the class raised, as Erlang writes it */
	String kind() {
		return (this.erlangClass != null) ? this.erlangClass.atomValue() : "return";
	}

}
