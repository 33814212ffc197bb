%% Erlang side of PubSubThroughput: a pg publisher and a counting pg subscriber, timed with the
%% OS clock (os:system_time/1), which the JVM on the same machine reads too.
-module(esb_pubsub_bench).

-export([counter/4, await/2, publish/3]).

%% A subscriber registered as Name that joins Topic and notes the time its N-th message arrived.
counter(Scope, Topic, N, Name) ->
    Parent = self(),
    Pid = spawn(fun() ->
                        register(Name, self()),
                        ok = pg:join(Scope, Topic, self()),
                        Parent ! {joined, self()},
                        count(0, N, undefined)
                end),
    receive {joined, Pid} -> ok after 5000 -> exit(not_joined) end.

count(Count, N, Waiter) when Count >= N ->
    done(os:system_time(microsecond), Waiter);
count(Count, N, Waiter) ->
    receive
        {'$await', From} -> count(Count, N, From);
        _ -> count(Count + 1, N, Waiter)
    end.

done(T, undefined) -> receive {'$await', From} -> From ! {done, T} end;
done(T, From) -> From ! {done, T}.

%% The time (µs) the counter Name got its last message, or timeout.
await(Name, Timeout) ->
    whereis(Name) ! {'$await', self()},
    receive {done, T} -> T after Timeout -> timeout end.

%% Publishes {pubsub, Topic, {seq, I}} N times to the members (looked up each time, as a publish
%% function does); returns {StartMicros, EndMicros}.
publish(Scope, Topic, N) ->
    T0 = os:system_time(microsecond),
    publish_loop(Scope, Topic, N),
    {T0, os:system_time(microsecond)}.

publish_loop(_Scope, _Topic, 0) -> ok;
publish_loop(Scope, Topic, N) ->
    [P ! {pubsub, Topic, {seq, N}} || P <- pg:get_members(Scope, Topic)],
    publish_loop(Scope, Topic, N - 1).
