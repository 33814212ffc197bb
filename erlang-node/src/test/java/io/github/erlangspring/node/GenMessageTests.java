package io.github.erlangspring.node;

import com.ericsson.otp.erlang.OtpErlangList;
import com.ericsson.otp.erlang.OtpErlangObject;
import com.ericsson.otp.erlang.OtpErlangPid;
import com.ericsson.otp.erlang.OtpErlangRef;
import com.ericsson.otp.erlang.OtpErlangString;
import com.ericsson.otp.erlang.OtpErlangTuple;
import org.junit.jupiter.api.Test;

import static io.github.erlangspring.node.TestTerms.atom;
import static io.github.erlangspring.node.TestTerms.list;
import static io.github.erlangspring.node.TestTerms.num;
import static io.github.erlangspring.node.TestTerms.tuple;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link GenMessage#decode} and {@link SysRequest#decode}, without {@code erl}: the shapes
 * {@code gen_server:call} (with a plain reference tag, and with {@code [alias | Ref]} from OTP 24
 * on), {@code gen_server:cast} and {@code sys} send, and what is none of them.
 */
class GenMessageTests {

	private static final OtpErlangPid CALLER = new OtpErlangPid("erl@host", 42, 0, 3);

	private static final OtpErlangRef REF = new OtpErlangRef("erl@host", new int[] { 1, 2, 3 }, 3);

	@Test
	void aCallWithAPlainReferenceTagIsAnsweredToThePid() {
		GenMessage decoded = GenMessage.decode(tuple(atom("$gen_call"), tuple(CALLER, REF), atom("next")));
		assertThat(decoded).isEqualTo(new GenMessage.Call(new GenMessage.From(CALLER, REF), atom("next")));
		GenMessage.From from = ((GenMessage.Call) decoded).from();
		assertThat(from.alias()).isNull();
		assertThat(from.ref()).isEqualTo(REF);
		assertThat(from.term()).isEqualTo(tuple(CALLER, REF));
	}

	@Test
	void aCallThroughAnAliasCarriesAliasRefAsItsTag() {
		OtpErlangObject tag = GenMessage.From.aliasTag(REF);
		assertThat(tag).isInstanceOf(OtpErlangList.class);
		assertThat(((OtpErlangList) tag).elementAt(0)).isEqualTo(atom("alias"));
		assertThat(((OtpErlangList) tag).getLastTail()).isEqualTo(REF);
		GenMessage decoded = GenMessage.decode(tuple(atom("$gen_call"), tuple(CALLER, tag), atom("next")));
		GenMessage.From from = ((GenMessage.Call) decoded).from();
		assertThat(from.alias()).isEqualTo(REF);
		assertThat(from.ref()).isEqualTo(REF);
		assertThat(from.term()).isEqualTo(tuple(CALLER, tag));
		// a proper one-element list is not an alias tag
		assertThat(GenMessage.From.aliasOf(list(atom("alias")))).isNull();
		assertThat(GenMessage.From.aliasOf(list(atom("other"), REF))).isNull();
	}

	@Test
	void castsSystemMessagesAndEverythingElse() {
		assertThat(GenMessage.decode(tuple(atom("$gen_cast"), num(7)))).isEqualTo(new GenMessage.Cast(num(7)));
		assertThat(GenMessage.decode(tuple(atom("system"), tuple(CALLER, REF), atom("get_state"))))
			.isEqualTo(new GenMessage.Sys(new GenMessage.From(CALLER, REF), new SysRequest.GetState()));
		// not a From: an ordinary message, as gen_server would take it to handle_info
		OtpErlangTuple badFrom = tuple(atom("$gen_call"), tuple(atom("nopid"), REF), atom("x"));
		assertThat(GenMessage.decode(badFrom)).isEqualTo(new GenMessage.Info(badFrom));
		OtpErlangTuple badArity = tuple(atom("$gen_cast"), num(1), num(2));
		assertThat(GenMessage.decode(badArity)).isEqualTo(new GenMessage.Info(badArity));
		assertThat(GenMessage.decode(atom("hello"))).isEqualTo(new GenMessage.Info(atom("hello")));
		assertThat(GenMessage.decode(new OtpErlangString("hi"))).isEqualTo(new GenMessage.Info(new OtpErlangString("hi")));
		assertThat(GenMessage.From.of(tuple(CALLER))).isNull();
	}

	@Test
	void sysRequestsAreDecodedAsSysHandleSystemMsgReadsThem() {
		assertThat(SysRequest.decode(atom("get_state"))).isEqualTo(new SysRequest.GetState());
		assertThat(SysRequest.decode(atom("get_status"))).isEqualTo(new SysRequest.GetStatus());
		assertThat(SysRequest.decode(atom("suspend"))).isEqualTo(new SysRequest.Suspend());
		assertThat(SysRequest.decode(atom("resume"))).isEqualTo(new SysRequest.Resume());
		assertThat(SysRequest.decode(tuple(atom("replace_state"), atom("fun"))))
			.isEqualTo(new SysRequest.ReplaceState(atom("fun")));
		assertThat(SysRequest.decode(tuple(atom("debug"), atom("no_debug"))))
			.isEqualTo(new SysRequest.Debug(atom("no_debug")));
		assertThat(SysRequest.decode(tuple(atom("terminate"), atom("going"))))
			.isEqualTo(new SysRequest.Terminate(atom("going")));
		OtpErlangTuple changeCode = tuple(atom("change_code"), atom("m"), atom("undefined"), list());
		assertThat(SysRequest.decode(changeCode))
			.isEqualTo(new SysRequest.ChangeCode(atom("m"), atom("undefined"), list()));
		assertThat(SysRequest.decode(atom("other"))).isEqualTo(new SysRequest.Other(atom("other")));
	}

}
