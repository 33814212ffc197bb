%% The Erlang side of ./run-demo: a plain Erlang node that talks to the sample Spring Boot
%% application (a Java node of the same cluster) and can be called by it.
%%
%%   erl -name demo@127.0.0.1 -pa sample-app/target/erlang/ebin \
%%       -eval "demo_peer:start('sample@127.0.0.1')"
%%
%% start/1 returns at once; a process registered as demo_peer waits for the Java node, makes the
%% demo calls, prints each call and its result, and then stays alive (printing any message sent
%% to it), so the node keeps running for you to attach a shell. Nothing here crashes the node:
%% every failure is printed as {error, ...}.
-module(demo_peer).

-export([start/1, run_calls/1, hello/1]).

%% Waiting for the Java node: first retry after 200 ms, doubling up to 2 s, for at most 60 s.
-define(FIRST_DELAY, 200).
-define(MAX_DELAY, 2000).
-define(WAIT_LIMIT, 60000).
-define(CALL_TIMEOUT, 5000).

%% @doc Starts the demo against JavaNode (an atom such as 'sample@127.0.0.1').
-spec start(node() | string()) -> pid().
start(JavaNode) when is_list(JavaNode) ->
    start(list_to_atom(JavaNode));
start(JavaNode) when is_atom(JavaNode) ->
    Pid = spawn(fun() -> init(JavaNode) end),
    try register(?MODULE, Pid) of
        true -> ok
    catch
        error:badarg -> say("another demo_peer process is already registered", [])
    end,
    Pid.

%% @doc Called by the Java side: rpc:call('demo@127.0.0.1', demo_peer, hello, [<<"Java">>]).
-spec hello(binary()) -> binary().
hello(Name) when is_binary(Name) ->
    <<"Hello from Erlang, ", Name/binary, "!">>.

init(JavaNode) ->
    say("node ~s up; waiting for the Java node ~s", [node(), JavaNode]),
    case wait_for(JavaNode, ?FIRST_DELAY, erlang:monotonic_time(millisecond) + ?WAIT_LIMIT, 1) of
        ok ->
            say("~s answered; calling it", [JavaNode]);
        timeout ->
            say("~s did not answer within ~b s; making the calls anyway, expect errors",
                [JavaNode, ?WAIT_LIMIT div 1000])
    end,
    run_calls(JavaNode),
    say("done; this node keeps running. Rerun the calls from an attached shell with "
        "demo_peer:run_calls('~s').", [JavaNode]),
    loop().

wait_for(JavaNode, Delay, Deadline, Attempt) ->
    case net_adm:ping(JavaNode) of
        pong ->
            ok;
        pang ->
            Now = erlang:monotonic_time(millisecond),
            case Now + Delay > Deadline of
                true ->
                    timeout;
                false ->
                    case Attempt rem 5 of
                        1 -> say("ping ~s: pang (attempt ~b), retrying", [JavaNode, Attempt]);
                        _ -> ok
                    end,
                    timer:sleep(Delay),
                    wait_for(JavaNode, min(Delay * 2, ?MAX_DELAY), Deadline, Attempt + 1)
            end
    end.

%% @doc Makes the demo calls against JavaNode, printing each call and its result.
-spec run_calls(node()) -> ok.
run_calls(JavaNode) ->
    Counter = {counter, JavaNode},
    call("rpc:call(JavaNode, greeter, hello, [<<\"World\">>])  % expect <<\"Hello, World!\">>",
         fun() -> rpc:call(JavaNode, greeter, hello, [<<"World">>], ?CALL_TIMEOUT) end),
    call("rpc:call(JavaNode, greeter, fail, [<<\"boom\">>])  % expect {badrpc, {'EXIT', ...}}",
         fun() -> rpc:call(JavaNode, greeter, fail, [<<"boom">>], ?CALL_TIMEOUT) end),
    call("gen_server:call({counter, JavaNode}, incr)",
         fun() -> gen_server:call(Counter, incr, ?CALL_TIMEOUT) end),
    call("gen_server:call({counter, JavaNode}, incr)",
         fun() -> gen_server:call(Counter, incr, ?CALL_TIMEOUT) end),
    call("gen_server:call({counter, JavaNode}, {add, 5})",
         fun() -> gen_server:call(Counter, {add, 5}, ?CALL_TIMEOUT) end),
    call("gen_server:call({counter, JavaNode}, get)",
         fun() -> gen_server:call(Counter, get, ?CALL_TIMEOUT) end),
    call("gen_server:cast({counter, JavaNode}, reset)",
         fun() -> gen_server:cast(Counter, reset) end),
    call("gen_server:call({counter, JavaNode}, get)  % after reset",
         fun() -> gen_server:call(Counter, get, ?CALL_TIMEOUT) end),
    ok.

call(Text, Fun) ->
    Result = try Fun()
             catch
                 %% gen_server:call/3 exits with {Why, {gen_server, call, Args}}: keep Why
                 exit:{Why, {gen_server, call, _}} -> {error, {exit, Why}};
                 Class:Reason -> {error, {Class, Reason}}
             end,
    io:format("[demo_peer] ~ts~n[demo_peer]   -> ~1000tp~n", [Text, Result]).

loop() ->
    receive
        Message ->
            say("received ~tp", [Message]),
            loop()
    end.

say(Format, Args) ->
    io:format("[demo_peer] " ++ Format ++ "~n", Args).
