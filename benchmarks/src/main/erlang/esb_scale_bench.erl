%% The Erlang side of the scale scenario (ScaleScenario): N processes joining one pg group, the
%% time until pg:get_members/2 lists them all, and the fan-out rate of Rounds sends to every member.
%% "Visible" is counted from pg:monitor/2 (OTP 25.1+): pg tells the waiting process of each join it
%% applied to its table, so the wait costs one small message per join, not a copy of the group per
%% poll (polling get_members of 100,000 members every millisecond took a core from pg).
-module(esb_scale_bench).
-export([run/3, run/4, watch/3, watched/2]).

%% -> {JoinNanos, FanoutNanos, ProcessBytesPerProcess}
run(Scope, N, Rounds) -> run(Scope, N, Rounds, each).

%% Mode each: every process calls pg:join(Scope, Group, self()), as an Erlang application's
%% processes do (one gen_server call each; pg copies the group's ETS row on each join).
%% Mode list: the N processes are spawned, then one pg:join(Scope, Group, Pids) joins them all
%% (what the Java scope's batching amounts to on the wire: a few list joins).
run(Scope, N, Rounds, Mode) ->
    {ok, _} = pg:start(Scope),
    Group = {scale, Mode},
    Ctr = counters:new(1, [write_concurrency]),
    erlang:garbage_collect(),
    Mem0 = erlang:memory(processes),
    {Ref, []} = pg:monitor(Scope, Group),
    T0 = erlang:monotonic_time(nanosecond),
    Pids = case Mode of
               each ->
                   [spawn(fun() -> pg:join(Scope, Group, self()), member(Ctr) end) || _ <- lists:seq(1, N)];
               list ->
                   Ps = [spawn(fun() -> member(Ctr) end) || _ <- lists:seq(1, N)],
                   ok = pg:join(Scope, Group, Ps),
                   Ps
           end,
    count(Ref, 0, N),
    T1 = erlang:monotonic_time(nanosecond),
    ok = pg:demonitor(Scope, Ref),
    N = length(pg:get_members(Scope, Group)),
    Mem1 = erlang:memory(processes),
    [[P ! {msg, R} || P <- pg:get_members(Scope, Group)] || R <- lists:seq(1, Rounds)],
    wait(fun() -> counters:get(Ctr, 1) >= N * Rounds end),
    T2 = erlang:monotonic_time(nanosecond),
    %% the scope first: N exits would each make pg copy the group (lists:delete/2) once more
    ok = gen_server:stop(Scope),
    [P ! stop || P <- Pids],
    {T1 - T0, T2 - T1, (Mem1 - Mem0) div N}.

member(Ctr) ->
    receive
        {msg, _} -> counters:add(Ctr, 1, 1), member(Ctr);
        stop -> ok
    end.

%% Starts a process registered as Name that follows Group of Scope (or, Group =:= groups, all its
%% groups) as pg tells a monitor, from now on; watched/2 waits for it.
watch(Scope, Group, Name) ->
    Parent = self(),
    Pid = spawn(fun() ->
                        register(Name, self()),
                        {Ref, Counts} = case Group of
                                            groups ->
                                                {R, Groups} = pg:monitor_scope(Scope),
                                                {R, maps:map(fun(_, Pids) -> length(Pids) end, Groups)};
                                            _ ->
                                                {R, Members} = pg:monitor(Scope, Group),
                                                {R, length(Members)}
                                        end,
                        Parent ! {watching, self()},
                        receive {await, From, N} -> ok end,
                        Joins = case Group of
                                    groups -> count_groups(Ref, Counts, N, 0);
                                    _ -> count(Ref, Counts, N)
                                end,
                        pg:demonitor(Scope, Ref),
                        true = case Group of
                                   groups -> length(pg:which_groups(Scope)) >= N;
                                   _ -> length(pg:get_members(Scope, Group)) >= N
                               end,
                        From ! {watched, Joins}
                end),
    receive {watching, Pid} -> ok after 10000 -> exit(not_watching) end.

%% Waits until the watcher Name saw N members (or N groups with members); returns the number of
%% join messages pg handled from watch/3 on.
watched(Name, N) ->
    Pid = whereis(Name),
    Ref = erlang:monitor(process, Pid),
    Pid ! {await, self(), N},
    receive
        {watched, Joins} -> erlang:demonitor(Ref, [flush]), Joins;
        {'DOWN', Ref, process, Pid, Reason} -> exit({watcher_failed, Reason})
    end.

%% -> join messages received until Count >= N
count(Ref, Count, N) -> count(Ref, Count, N, 0).

count(_Ref, Count, N, Joins) when Count >= N -> Joins;
count(Ref, Count, N, Joins) ->
    receive
        {Ref, join, _, Pids} -> count(Ref, Count + length(Pids), N, Joins + 1);
        {Ref, leave, _, Pids} -> count(Ref, Count - length(Pids), N, Joins)
    end.

count_groups(_Ref, Counts, N, Joins) when map_size(Counts) >= N -> Joins;
count_groups(Ref, Counts, N, Joins) ->
    receive
        {Ref, join, Group, Pids} ->
            count_groups(Ref, maps:update_with(Group, fun(C) -> C + length(Pids) end, length(Pids), Counts), N,
                         Joins + 1);
        {Ref, leave, Group, Pids} ->
            Left = maps:get(Group, Counts, 0) - length(Pids),
            count_groups(Ref, if Left > 0 -> Counts#{Group => Left}; true -> maps:remove(Group, Counts) end, N,
                         Joins)
    end.

wait(F) ->
    case F() of
        true -> ok;
        false -> receive after 1 -> wait(F) end
    end.
