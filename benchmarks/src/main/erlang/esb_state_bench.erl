%% Erlang side of StateThroughput: the same state operations the Java backends offer, run by
%% compiled loops on the node that holds the ETS table, through spring_bridge_state (what
%% Erlang code sharing the state calls) and with plain ets calls for reference.
-module(esb_state_bench).

-export([run/4]).

-define(CHECK_EVERY, 256).

%% Procs processes repeat Op on Table for Ms milliseconds; returns operations per second.
run(Op, Table, Procs, Ms) ->
    Keys = [<<"bench:", (integer_to_binary(I))/binary>> || I <- lists:seq(1, 100)],
    [spring_bridge_state:set(Table, K, <<"value">>) || K <- Keys],
    spring_bridge_state:set(Table, <<"bench:counter">>, 0),
    Parent = self(),
    Start = erlang:monotonic_time(microsecond),
    Deadline = Start + Ms * 1000,
    Pids = [spawn_link(fun() -> Parent ! {done, self(), loop(Op, Table, Keys, Deadline, 0)} end)
            || _ <- lists:seq(1, Procs)],
    Total = lists:sum([receive {done, Pid, Count} -> Count end || Pid <- Pids]),
    Elapsed = erlang:monotonic_time(microsecond) - Start,
    Total * 1000000 / Elapsed.

loop(Op, Table, Keys, Deadline, Count) ->
    batch(Op, Table, Keys, ?CHECK_EVERY),
    case erlang:monotonic_time(microsecond) >= Deadline of
        true -> Count + ?CHECK_EVERY;
        false -> loop(Op, Table, Keys, Deadline, Count + ?CHECK_EVERY)
    end.

batch(_Op, _Table, _Keys, 0) ->
    ok;
batch(Op, Table, Keys, N) ->
    op(Op, Table, Keys),
    batch(Op, Table, Keys, N - 1).

op(get, T, _) -> spring_bridge_state:get(T, <<"bench:1">>);
op(set, T, _) -> spring_bridge_state:set(T, <<"bench:1">>, <<"value">>);
op(incr, T, _) -> spring_bridge_state:incr(T, <<"bench:counter">>, 1);
op(get_multi_100, T, Keys) -> spring_bridge_state:get_multi(T, Keys);
op(ets_lookup, T, _) -> ets:lookup(T, <<"bench:1">>);
op(ets_insert, T, _) -> ets:insert(T, {<<"bench:1">>, <<"value">>, infinity});
op(ets_update_counter, T, _) -> ets:update_counter(T, <<"bench:counter">>, {2, 1});
op(ets_lookup_100, T, Keys) -> [ets:lookup(T, K) || K <- Keys].
