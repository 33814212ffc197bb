%% Erlang side of the erlang-spring-boot benchmarks (benchmarks/README.md).
%%
%% On the server node: start_server/0 starts esb_bench_echo, a gen_server that replies with the
%% request; echo/1 is the trivial function erpc:call targets on an Erlang node.
%%
%% On the driver node: run/4 starts Concurrency processes that call Target in a closed loop for
%% WarmupMs, then for MeasureMs, and times each call with erlang:monotonic_time/1. Only calls that
%% complete inside the measurement window count. It returns
%%   {Calls, MeasureNs, P50Ns, P99Ns, Errors}
%% (Errors: calls that raised or answered something else, inside the window).
-module(esb_bench).
-behaviour(gen_server).

-export([start_server/0, echo/1, request/0, run/4, run/5, start_sinks/2, sink/0]).
-export([init/1, handle_call/3, handle_cast/2]).

-define(SERVER, esb_bench_echo).
-define(CALL_TIMEOUT, 5000).

%% --- server side --------------------------------------------------------------------------------

start_server() ->
    case whereis(?SERVER) of
        undefined ->
            {ok, _} = gen_server:start({local, ?SERVER}, ?MODULE, [], []),
            ok;
        _ ->
            ok
    end.

init([]) ->
    {ok, nostate}.

handle_call(Request, _From, State) ->
    {reply, Request, State}.

handle_cast(_Request, State) ->
    {noreply, State}.

echo(X) ->
    X.

%% Count processes registered as Prefix1..PrefixCount that take one-way messages ({esb_msg, _})
%% and answer {esb_sync, From, Ref} with {esb_synced, Ref} once everything before it arrived.
start_sinks(Prefix, Count) ->
    [begin
         Name = list_to_atom(Prefix ++ integer_to_list(I)),
         case whereis(Name) of
             undefined -> register(Name, spawn(?MODULE, sink, []));
             _ -> true
         end,
         Name
     end || I <- lists:seq(1, Count)].

sink() ->
    receive
        {esb_msg, _} -> sink();
        {esb_sync, From, Ref} -> From ! {esb_synced, Ref}, sink();
        _ -> sink()
    end.

%% The request every scenario sends; the Java side builds the same term.
request() ->
    {ping, 12345}.

%% --- driver side --------------------------------------------------------------------------------

%% Target:
%%   {gen_call, Dest}              gen_server:call(Dest, Req, 5000), Dest = Name | {Name, Node}
%%   {erpc, Node, Module, Function} erpc:call(Node, Module, Function, [Req], 5000)
%%   {batch, Dests, Size}          Size one-way messages {esb_msg, Req} to a destination, then a sync
%%                                 round trip ({esb_sync, self(), Ref} answered by {esb_synced, Ref});
%%                                 Dests is a tuple: worker I uses element I (wrapping around)
run(Target, Concurrency, WarmupMs, MeasureMs) ->
    run(Target, Concurrency, WarmupMs, MeasureMs, request()).

run(Target, Concurrency, WarmupMs, MeasureMs, Request) ->
    Call = call_fun(Target, Request, 1),
    %% One call first: fail the run with the real reason instead of counting errors.
    ok = Call(),
    Start = erlang:monotonic_time(nanosecond),
    T0 = Start + WarmupMs * 1000000,
    T1 = T0 + MeasureMs * 1000000,
    Self = self(),
    Workers = [spawn_link(fun() ->
                                  Self ! {done, self(), loop(call_fun(Target, Request, I), T0, T1, [], 0, 0)}
                          end)
               || I <- lists:seq(1, Concurrency)],
    Results = [receive {done, W, R} -> R
               after WarmupMs + MeasureMs + 60000 -> exit(worker_timeout)
               end || W <- Workers],
    Calls = lists:sum([N || {N, _, _} <- Results]),
    Errors = lists:sum([E || {_, _, E} <- Results]),
    Sorted = lists:sort(lists:append([L || {_, L, _} <- Results])),
    {Calls, T1 - T0, percentile(Sorted, Calls, 0.50), percentile(Sorted, Calls, 0.99), Errors}.

call_fun({batch, Dests, Size}, Req, I) ->
    Dest = element((I - 1) rem tuple_size(Dests) + 1, Dests),
    Msg = {esb_msg, Req},
    fun() ->
            send_n(Dest, Msg, Size),
            Ref = make_ref(),
            Dest ! {esb_sync, self(), Ref},
            receive
                {esb_synced, Ref} -> ok
            after ?CALL_TIMEOUT -> timeout
            end
    end;
call_fun(Target, Req, _I) ->
    call_fun(Target, Req).

send_n(_Dest, _Msg, 0) ->
    ok;
send_n(Dest, Msg, N) ->
    Dest ! Msg,
    send_n(Dest, Msg, N - 1).

call_fun({gen_call, Dest}, Req) ->
    fun() ->
            case gen_server:call(Dest, Req, ?CALL_TIMEOUT) of
                Req -> ok;
                Other -> {unexpected, Other}
            end
    end;
call_fun({erpc, Node, Module, Function}, Req) ->
    fun() ->
            case erpc:call(Node, Module, Function, [Req], ?CALL_TIMEOUT) of
                Req -> ok;
                Other -> {unexpected, Other}
            end
    end.

loop(Call, T0, T1, Lats, N, Errs) ->
    S = erlang:monotonic_time(nanosecond),
    if
        S >= T1 ->
            {N, Lats, Errs};
        true ->
            Ok = try Call() of ok -> true; _ -> false catch _:_ -> false end,
            E = erlang:monotonic_time(nanosecond),
            if
                E < T0; E >= T1 -> loop(Call, T0, T1, Lats, N, Errs);
                Ok -> loop(Call, T0, T1, [E - S | Lats], N + 1, Errs);
                true -> loop(Call, T0, T1, Lats, N, Errs + 1)
            end
    end.

percentile(_, 0, _) ->
    0;
percentile(Sorted, N, P) ->
    lists:nth(max(1, min(N, ceil(P * N))), Sorted).
