%% Load generators of the reliability tests (io.github.erlangspring.reliability): Erlang
%% processes that call a Java node continuously and account for every call they make.
-module(esb_reliability).

-export([start_callers/4, progress/1, stop_callers/2, caller/6]).

%% Late calls kept for the test to check one by one (it also checks that none was dropped).
-define(MAX_LATE_KEPT, 10000).

%% What a call may take past its timeout before it is late: see LoadWithFaultsTests.SLACK.
-define(SLACK_MS, 4000).

%% Starts N processes calling Target in a closed loop, each call with Timeout milliseconds, known
%% by Tag afterwards. Target is {erpc, Node, Module, Function}
%% (erpc:call(Node, Module, Function, [Arg], Timeout)) or {gen_call, Name, Node}
%% (gen_server:call({Name, Node}, {echo, Arg}, Timeout)); the Java side must return Arg.
start_callers(Target, N, Timeout, Tag) ->
    Counters = counters:new(2, [write_concurrency]),
    Pids = [spawn(?MODULE, caller, [Target, Timeout, {Tag, I}, Counters, 0, new_stats()])
            || I <- lists:seq(1, N)],
    persistent_term:put({?MODULE, Tag}, {Pids, Counters}),
    ok.

%% {Successes, Failures} so far, for a test to wait on.
progress(Tag) ->
    {_, Counters} = persistent_term:get({?MODULE, Tag}),
    {counters:get(Counters, 1), counters:get(Counters, 2)}.

%% Asks each caller to stop after its current call and returns the summed statistics:
%% #{made, ok, wrong, late, max_ms, late_calls => [{StartMs, Ms}], errors => #{Reason => Count}}.
%% Fails when a caller does not answer within Timeout milliseconds (it hangs in a call).
stop_callers(Tag, Timeout) ->
    {Pids, _} = persistent_term:get({?MODULE, Tag}),
    [Pid ! {stop, self()} || Pid <- Pids],
    Deadline = erlang:monotonic_time(millisecond) + Timeout,
    Stats = lists:foldl(fun(Pid, Acc) ->
                                Left = max(0, Deadline - erlang:monotonic_time(millisecond)),
                                receive
                                    {stats, Pid, S} -> merge(Acc, S)
                                after Left ->
                                        error({caller_hangs, Pid, process_info(Pid, current_stacktrace)})
                                end
                        end, new_stats(), Pids),
    persistent_term:erase({?MODULE, Tag}),
    Stats.

new_stats() ->
    #{made => 0, ok => 0, wrong => 0, late => 0, max_ms => 0, late_calls => [], errors => #{}}.

merge(A, B) ->
    #{made => maps:get(made, A) + maps:get(made, B),
      ok => maps:get(ok, A) + maps:get(ok, B),
      wrong => maps:get(wrong, A) + maps:get(wrong, B),
      late => maps:get(late, A) + maps:get(late, B),
      max_ms => max(maps:get(max_ms, A), maps:get(max_ms, B)),
      late_calls => maps:get(late_calls, A) ++ maps:get(late_calls, B),
      errors => maps:fold(fun(K, V, Acc) -> maps:update_with(K, fun(X) -> X + V end, V, Acc) end,
                          maps:get(errors, A), maps:get(errors, B))}.

caller(Target, Timeout, Id, Counters, Seq, Stats) ->
    receive
        {stop, From} -> From ! {stats, self(), Stats}
    after 0 ->
            Arg = {Id, Seq},
            T0 = erlang:monotonic_time(millisecond),
            Outcome = try {ok, call(Target, Arg, Timeout)}
                      catch Class:Reason -> {error, classify(Class, Reason)}
                      end,
            Ms = erlang:monotonic_time(millisecond) - T0,
            Counted = count_time(Stats#{made := maps:get(made, Stats) + 1}, T0, Ms, Timeout),
            Next = case Outcome of
                       {ok, Arg} ->
                           counters:add(Counters, 1, 1),
                           Counted#{ok := maps:get(ok, Counted) + 1};
                       {ok, _Other} ->
                           counters:add(Counters, 2, 1),
                           Counted#{wrong := maps:get(wrong, Counted) + 1};
                       {error, Key} ->
                           counters:add(Counters, 2, 1),
                           %% failing fast (node unreachable) must not spin: pace the retries
                           timer:sleep(10),
                           Counted#{errors := maps:update_with(Key, fun(X) -> X + 1 end, 1,
                                                               maps:get(errors, Counted))}
                   end,
            caller(Target, Timeout, Id, Counters, Seq + 1, Next)
    end.

%% A call may take its timeout plus scheduling; more than ?SLACK_MS past it is late. Late calls
%% are kept (start and duration) so a test can tell them from a node that was suspended.
count_time(Stats, T0, Ms, Timeout) ->
    S = Stats#{max_ms := max(Ms, maps:get(max_ms, Stats))},
    case Ms > Timeout + ?SLACK_MS of
        true ->
            Kept = lists:sublist([{T0, Ms} | maps:get(late_calls, S)], ?MAX_LATE_KEPT),
            S#{late := maps:get(late, S) + 1, late_calls := Kept};
        false ->
            S
    end.

call({erpc, Node, M, F}, Arg, Timeout) ->
    erpc:call(Node, M, F, [Arg], Timeout);
call({gen_call, Name, Node}, Arg, Timeout) ->
    gen_server:call({Name, Node}, {echo, Arg}, Timeout).

%% The failure modes a caller must be prepared for, as atoms; anything else is kept whole, marked
%% untyped, so that the test shows it.
classify(error, {erpc, timeout}) -> timeout;
classify(error, {erpc, noconnection}) -> noconnection;
classify(error, {erpc, system_limit}) -> system_limit;
classify(exit, {signal, Reason}) -> {signal, classify_reason(Reason)};
classify(exit, {timeout, {gen_server, call, _}}) -> timeout;
classify(exit, {Reason, {gen_server, call, _}}) -> classify_reason(Reason);
classify(Class, Reason) -> {untyped, Class, Reason}.

classify_reason({nodedown, _}) -> nodedown;
classify_reason(noconnection) -> noconnection;
classify_reason(noproc) -> noproc;
classify_reason(shutdown) -> shutdown;
classify_reason({shutdown, _}) -> shutdown;
classify_reason(Other) -> {untyped, Other}.
