%% Test harness for erlang-spring-boot: lets the JVM that started this node evaluate Erlang
%% expressions on it. Requests arrive on stdin, one per line: "Id Base64(Expression)". Each is
%% evaluated in its own process; the answer is printed as one line:
%%   "\x01ESB Id Base64(term_to_binary({ok, Value} | {error, {Class, Reason, Stack}}))"
%% When stdin closes (the JVM stopped or died) the node halts, so no node outlives its test run.
-module(esb_harness).
-export([main/0]).

-define(MARK, "\x01ESB ").

main() ->
    Out = self(),
    io:setopts(standard_io, [binary]),
    io:put_chars(standard_io, [?MARK, "0 READY\n"]),
    read_loop(Out).

read_loop(Out) ->
    case io:get_line(standard_io, "") of
        eof -> halt(0);
        {error, _} -> halt(0);
        Line ->
            case binary:split(string:trim(Line), <<" ">>) of
                [Id, B64] ->
                    spawn(fun() -> answer(Id, B64) end);
                _ ->
                    ok
            end,
            read_loop(Out)
    end.

answer(Id, B64) ->
    Result = try {ok, eval(base64:decode(B64))}
             catch Class:Reason:Stack -> {error, {Class, Reason, Stack}}
             end,
    Bin = base64:encode(term_to_binary(Result)),
    io:put_chars(standard_io, [?MARK, Id, " ", Bin, "\n"]).

eval(Src0) ->
    Src = unicode:characters_to_list(Src0),
    Terminated = case lists:last(string:trim(Src, trailing)) of
                     $. -> Src;
                     _ -> Src ++ "."
                 end,
    {ok, Tokens, _} = erl_scan:string(Terminated),
    {ok, Exprs} = erl_parse:parse_exprs(Tokens),
    {value, Value, _} = erl_eval:exprs(Exprs, erl_eval:new_bindings()),
    Value.
