%% Erlang side of the pub/sub tests: subscribers and publishers that use pg directly, as any
%% Erlang application would, with no help from the Java side.
-module(esb_pubsub_test).

-export([subscriber/3, subscriber/2, await/3, take/1, leave/3, stop/1,
         publish/3, publish_seq/4, members/2, local_members/2, groups/1,
         counter/3, await_count/3, flood/4, restart_scope/2, watch/3, watched/3]).

%% A process that joins Topic in Scope (registered as Name, unless Name is undefined) and keeps
%% what it receives until a test takes it.
subscriber(Scope, Topic, Name) ->
    Parent = self(),
    Pid = spawn(fun() ->
                        Name =:= undefined orelse register(Name, self()),
                        ok = pg:join(Scope, Topic, self()),
                        Parent ! {joined, self()},
                        loop([], 0, undefined)
                end),
    receive {joined, Pid} -> Pid after 5000 -> exit({not_joined, Topic}) end.

subscriber(Scope, Topic) -> subscriber(Scope, Topic, undefined).

loop(Msgs, Count, Waiter) ->
    receive
        {'$esb_await', From, N} -> reply(Msgs, Count, {From, N});
        {'$esb_take', From} -> From ! {'$esb_msgs', lists:reverse(Msgs)}, loop([], 0, Waiter);
        {'$esb_leave', From, Scope, Topic} -> From ! {'$esb_left', pg:leave(Scope, Topic, self())},
                                              loop(Msgs, Count, Waiter);
        '$esb_stop' -> ok;
        Msg -> reply([Msg | Msgs], Count + 1, Waiter)
    end.

reply(Msgs, Count, {From, N}) when Count >= N ->
    From ! {'$esb_msgs', lists:reverse(Msgs)},
    loop([], 0, undefined);
reply(Msgs, Count, Waiter) ->
    loop(Msgs, Count, Waiter).

%% All messages of a subscriber once it holds at least N, waiting up to Timeout ms.
await(Sub, N, Timeout) ->
    Pid = pid(Sub),
    Pid ! {'$esb_await', self(), N},
    receive {'$esb_msgs', Msgs} -> Msgs after Timeout -> {timeout, N} end.

take(Sub) ->
    pid(Sub) ! {'$esb_take', self()},
    receive {'$esb_msgs', Msgs} -> Msgs after 5000 -> timeout end.

leave(Sub, Scope, Topic) ->
    pid(Sub) ! {'$esb_leave', self(), Scope, Topic},
    receive {'$esb_left', Result} -> Result after 5000 -> timeout end.

stop(Sub) -> pid(Sub) ! '$esb_stop', ok.

pid(Pid) when is_pid(Pid) -> Pid;
pid(Name) when is_atom(Name) -> whereis(Name).

%% Publishes as an Erlang application would: {pubsub, Topic, Msg} to every member, Java or Erlang.
publish(Scope, Topic, Msg) ->
    Members = pg:get_members(Scope, Topic),
    [P ! {pubsub, Topic, Msg} || P <- Members],
    length(Members).

%% Publishes {seq, Tag, I} for I in 1..N from one process; returns the sum of the member counts.
publish_seq(Scope, Topic, Tag, N) ->
    lists:sum([publish(Scope, Topic, {seq, Tag, I}) || I <- lists:seq(1, N)]).

members(Scope, Topic) -> lists:sort(pg:get_members(Scope, Topic)).
local_members(Scope, Topic) -> lists:sort(pg:get_local_members(Scope, Topic)).
groups(Scope) -> lists:sort(pg:which_groups(Scope)).

%% A subscriber that only counts what it receives (for bursts), registered as Name.
counter(Scope, Topic, Name) ->
    Parent = self(),
    Pid = spawn(fun() ->
                        register(Name, self()),
                        ok = pg:join(Scope, Topic, self()),
                        Parent ! {joined, self()},
                        count_loop(0, undefined, [])
                end),
    receive {joined, Pid} -> Pid after 5000 -> exit({not_joined, Topic}) end.

count_loop(Count, {From, N}, Last) when Count >= N ->
    From ! {'$esb_count', Count, Last},
    count_loop(Count, undefined, Last);
count_loop(Count, Waiter, Last) ->
    receive
        {'$esb_count', From, N} -> count_loop(Count, {From, N}, Last);
        Msg -> count_loop(Count + 1, Waiter, Msg)
    end.

%% {Count, LastMessage} once the counter got at least N messages, or {timeout, Count}.
await_count(Name, N, Timeout) ->
    whereis(Name) ! {'$esb_count', self(), N},
    receive {'$esb_count', Count, Last} -> {Count, Last} after Timeout -> timeout end.

%% Publishes N messages {pubsub, Topic, Payload} to the members, returns {Sent, Micros}.
flood(Scope, Topic, Payload, N) ->
    Members = pg:get_members(Scope, Topic),
    T0 = erlang:monotonic_time(microsecond),
    flood_loop(Members, {pubsub, Topic, Payload}, N),
    {N * length(Members), erlang:monotonic_time(microsecond) - T0}.

flood_loop(_Members, _Msg, 0) -> ok;
flood_loop(Members, Msg, N) ->
    [P ! Msg || P <- Members],
    flood_loop(Members, Msg, N - 1).

%% Kills the scope process Scope and waits until its supervisor has registered a new one, up to
%% Timeout ms; returns the new pid.
restart_scope(Scope, Timeout) ->
    Old = whereis(Scope),
    Ref = erlang:monitor(process, Old),
    exit(Old, kill),
    receive {'DOWN', Ref, process, Old, _} -> ok after Timeout -> exit({still_alive, Old}) end,
    wait_scope(Scope, Old, erlang:monotonic_time(millisecond) + Timeout).

wait_scope(Scope, Old, Deadline) ->
    case whereis(Scope) of
        Pid when is_pid(Pid), Pid =/= Old -> Pid;
        _ ->
            case erlang:monotonic_time(millisecond) > Deadline of
                true -> exit({not_restarted, Scope});
                false -> timer:sleep(10), wait_scope(Scope, Old, Deadline)
            end
    end.

%% A process registered as Name that follows Group of Scope with pg:monitor/2 (OTP 25.1+): pg
%% tells it of each join and leave message it handled, with the pids, so it counts the messages
%% that changed the group and the members they left.
watch(Scope, Group, Name) ->
    Parent = self(),
    Pid = spawn(fun() ->
                        register(Name, self()),
                        {Ref, Members} = pg:monitor(Scope, Group),
                        Parent ! {watching, self()},
                        watch_loop(Ref, length(Members), 0, 0, undefined)
                end),
    receive {watching, Pid} -> Pid after 5000 -> exit({not_watching, Group}) end.

watch_loop(Ref, Count, Joins, Leaves, {From, Until}) when element(1, Until) =:= members, Count =:= element(2, Until);
                                                     element(1, Until) =:= messages, Joins + Leaves >= element(2, Until) ->
    From ! {'$esb_watched', Count, Joins, Leaves},
    watch_loop(Ref, Count, Joins, Leaves, undefined);
watch_loop(Ref, Count, Joins, Leaves, Waiter) ->
    receive
        {Ref, join, _Group, Pids} -> watch_loop(Ref, Count + length(Pids), Joins + 1, Leaves, Waiter);
        {Ref, leave, _Group, Pids} -> watch_loop(Ref, Count - length(Pids), Joins, Leaves + 1, Waiter);
        {'$esb_watched', From, Until} -> watch_loop(Ref, Count, Joins, Leaves, {From, Until})
    end.

%% {Members, JoinMessages, LeaveMessages} once the watched group has exactly N members (counted
%% from pg's notifications; Until = {members, N}) or pg handled M join and leave messages of it
%% (Until = {messages, M}), waiting up to Timeout ms; {timeout, Until} if that never happens.
watched(Name, Until, Timeout) ->
    whereis(Name) ! {'$esb_watched', self(), Until},
    receive {'$esb_watched', Count, Joins, Leaves} -> {Count, Joins, Leaves} after Timeout -> {timeout, Until} end.
