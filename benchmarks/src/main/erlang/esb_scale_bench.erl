%% The Erlang side of the scale scenario (ScaleScenario): N processes joining one pg group, the
%% time until pg:get_members/2 lists them all, and the fan-out rate of Rounds sends to every member.
-module(esb_scale_bench).
-export([run/3, await_count/3]).

%% -> {JoinNanos, FanoutNanos, ProcessBytesPerProcess}
run(Scope, N, Rounds) ->
    catch pg:start(Scope),
    Ctr = counters:new(1, [write_concurrency]),
    erlang:garbage_collect(),
    Mem0 = erlang:memory(processes),
    T0 = erlang:monotonic_time(nanosecond),
    Pids = [spawn(fun() -> pg:join(Scope, scale, self()), member(Ctr) end) || _ <- lists:seq(1, N)],
    wait(fun() -> length(pg:get_members(Scope, scale)) >= N end),
    T1 = erlang:monotonic_time(nanosecond),
    Mem1 = erlang:memory(processes),
    [[P ! {msg, R} || P <- pg:get_members(Scope, scale)] || R <- lists:seq(1, Rounds)],
    wait(fun() -> counters:get(Ctr, 1) >= N * Rounds end),
    T2 = erlang:monotonic_time(nanosecond),
    [P ! stop || P <- Pids],
    {T1 - T0, T2 - T1, (Mem1 - Mem0) div N}.

member(Ctr) ->
    receive
        {msg, _} -> counters:add(Ctr, 1, 1), member(Ctr);
        stop -> ok
    end.

%% Waits until length(pg:get_members(Scope, Group)) (or, Group =:= groups, the number of groups)
%% reaches N.
await_count(Scope, groups, N) -> wait(fun() -> length(pg:which_groups(Scope)) >= N end);
await_count(Scope, Group, N) -> wait(fun() -> length(pg:get_members(Scope, Group)) >= N end).

wait(F) ->
    case F() of
        true -> ok;
        false -> receive after 1 -> wait(F) end
    end.
