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
%%
%% Pub/sub: the node runs pg's default scope and publishes a tick to the topic <<"demo">> every
%% ?TICK_MS ms, which http://localhost:8080/pubsub.html shows live. Publish by hand with
%% demo_peer:publish(<<"demo">>, <<"hi">>): it reaches Java and Erlang subscribers alike.
%%
%% Shared state and hooks: the Java node loads spring_bridge onto this node when it connects;
%% demo_peer then registers block_header/1 as the web hook demo_block (erlang.hooks.on-request), so
%% requests carrying "X-Block: yes" get 403 from Erlang. page_views/1 reads the page-view counter
%% the Java node keeps for http://localhost:8080/api/views.
-module(demo_peer).

-export([start/1, run_calls/1, hello/1]).
-export([publish/2, start_ticker/2]).
-export([page_views/1, register_hooks/0, block_header/1, traced_greeting/2]).

%% Waiting for the Java node: first retry after 200 ms, doubling up to 2 s, for at most 60 s.
-define(FIRST_DELAY, 200).
-define(MAX_DELAY, 2000).
-define(WAIT_LIMIT, 60000).
-define(CALL_TIMEOUT, 5000).
-define(TICK_MS, 2000).
-define(BRIDGE_WAIT_LIMIT, 30000).

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
    ensure_pg(),
    start_ticker(<<"demo">>, ?TICK_MS),
    say("node ~s up; waiting for the Java node ~s", [node(), JavaNode]),
    case wait_for(JavaNode, ?FIRST_DELAY, erlang:monotonic_time(millisecond) + ?WAIT_LIMIT, 1) of
        ok ->
            say("~s answered; calling it", [JavaNode]);
        timeout ->
            say("~s did not answer within ~b s; making the calls anyway, expect errors",
                [JavaNode, ?WAIT_LIMIT div 1000])
    end,
    run_calls(JavaNode),
    case wait_for_bridge(erlang:monotonic_time(millisecond) + ?BRIDGE_WAIT_LIMIT) of
        ok ->
            ok = register_hooks(),
            say("registered the web hook demo_block: curl -H 'X-Block: yes' localhost:8080/api/views "
                "answers 403", []);
        timeout ->
            say("spring_bridge did not start here within ~b s; no web hook", [?BRIDGE_WAIT_LIMIT div 1000])
    end,
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

%% @doc The sample's page-view counter, kept by the Java node (StateTemplate, local backend) and
%% read here through rpc; undefined before the first view.
-spec page_views(node()) -> integer() | undefined | {badrpc, term()}.
page_views(JavaNode) ->
    rpc:call(JavaNode, spring_state, get, [<<"page_views">>], ?CALL_TIMEOUT).

%% @doc Registers block_header/1 with spring_bridge as demo_block, the sample's on-request hook,
%% and traced_greeting/2 as demo_trace.
-spec register_hooks() -> ok.
register_hooks() ->
    ok = spring_bridge:register_function(demo_trace, fun ?MODULE:traced_greeting/2),
    spring_bridge:register_function(demo_block, fun ?MODULE:block_header/1).

%% @doc A function the Java side calls through spring_bridge (GET /api/trace): it sees the caller's
%% W3C trace context and calls back into Java with it (greeter:hello/1), so both Java log lines
%% and this node's report carry the same trace id.
-spec traced_greeting(binary(), binary()) -> #{atom() => term()}.
traced_greeting(JavaNode, Name) ->
    Context = spring_bridge:trace_context(),
    TraceParent = maps:get(<<"traceparent">>, Context, <<"none">>),
    io:format("[demo_peer] traced_greeting(~ts) in trace ~ts~n", [Name, TraceParent]),
    Greeting = spring_bridge:call_java(binary_to_atom(JavaNode, utf8), greeter, hello, [Name]),
    #{greeting => Greeting, traceparent => TraceParent}.

%% @doc The on-request hook: refuses requests that carry the header X-Block: yes.
-spec block_header(#{headers := [{binary(), binary()}], _ => _}) ->
          continue | {respond, 403, [{binary(), binary()}], binary()}.
block_header(#{headers := Headers}) ->
    case proplists:get_value(<<"x-block">>, Headers) of
        <<"yes">> -> {respond, 403, [{<<"content-type">>, <<"text/plain">>}], <<"Blocked by demo_peer (Erlang)\n">>};
        _ -> continue
    end.

%% spring_bridge arrives from the Java node shortly after it connected.
wait_for_bridge(Deadline) ->
    case whereis(spring_bridge_server) of
        Pid when is_pid(Pid) ->
            ok;
        undefined ->
            case erlang:monotonic_time(millisecond) > Deadline of
                true -> timeout;
                false -> timer:sleep(200), wait_for_bridge(Deadline)
            end
    end.

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

%% @doc Publishes as any Erlang application does with pg: {pubsub, Topic, Message} to every member
%% of the topic, on every node (the Java node's subscribers included). Returns how many.
-spec publish(term(), term()) -> non_neg_integer().
publish(Topic, Message) ->
    ensure_pg(),
    Members = pg:get_members(pg, Topic),
    [Pid ! {pubsub, Topic, Message} || Pid <- Members],
    length(Members).

%% @doc Publishes <<"tick N from Node">> to Topic every IntervalMs ms, for as long as the node runs.
-spec start_ticker(term(), pos_integer()) -> pid().
start_ticker(Topic, IntervalMs) ->
    spawn(fun() -> tick(Topic, IntervalMs, 1) end).

tick(Topic, IntervalMs, N) ->
    timer:sleep(IntervalMs),
    publish(Topic, iolist_to_binary(io_lib:format("tick ~b from ~s", [N, node()]))),
    tick(Topic, IntervalMs, N + 1).

%% pg's default scope, unless the node was started with -kernel start_pg true.
ensure_pg() ->
    case whereis(pg) of
        undefined ->
            case pg:start(pg) of
                {ok, _} -> ok;
                {error, {already_started, _}} -> ok
            end;
        _ ->
            ok
    end.
