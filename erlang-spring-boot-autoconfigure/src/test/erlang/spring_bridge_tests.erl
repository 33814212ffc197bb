%% EUnit tests of spring_bridge (run by SpringBridgeEunitTests on a real node, so by ./run-tests).
-module(spring_bridge_tests).

-include_lib("eunit/include/eunit.hrl").

-define(T, spring_bridge_eunit_state).

bridge_test_() ->
    {setup, fun start/0, fun stop/1,
     [{"a registered fun is called by name", fun registered_fun/0},
      {"names may be atoms, binaries or strings", fun name_forms/0},
      {"module and function registration", fun module_function/0},
      {"a remote module and function is called with erpc", fun remote_function/0},
      {"unknown names raise a clear error", fun unknown_function/0},
      {"exceptions in the function reach the caller unchanged", fun exceptions_pass_through/0},
      {"bad registrations raise and register nothing", fun bad_registrations/0},
      {"a function outlives the process that registered it", fun survives_registrar/0},
      {"unregister and list", fun unregister_and_list/0},
      {"cast runs the function and survives its failure", fun cast/0},
      {"the server answers junk with errors and keeps running", fun server_survives_junk/0},
      {"ensure_table is idempotent and refuses foreign tables", fun ensure_table/0},
      {"get, set and delete", fun get_set_delete/0},
      {"get_multi returns every key asked for", fun get_multi/0},
      {"a value with a ttl is gone once it expires", fun ttl_expiry/0},
      {"incr starts from 0, keeps the expiry and may go below 0", fun incr/0},
      {"incr of a non-integer raises and leaves the value", fun incr_not_integer/0},
      {"an expired counter starts again from 0", fun incr_expired/0},
      {"incr is atomic across processes", fun incr_concurrent/0},
      {"put_if_absent", fun put_if_absent/0},
      {"keys by prefix, sorted, without expired ones", fun keys/0},
      {"expire sets or removes the expiry of live keys only", fun expire/0},
      {"bad input raises clear errors", fun bad_state_input/0},
      {"a missing table is named in the error", fun no_table/0},
      {"the purge deletes expired objects from the table", fun purge/0}]}.

start() ->
    ok = application:load(spring_bridge),
    ok = application:set_env(spring_bridge, purge_interval, 50),
    {ok, _} = spring_bridge:start(),
    ok = spring_bridge:ensure_table(?T),
    ok.

stop(_) ->
    ok = application:stop(spring_bridge),
    ok = application:unload(spring_bridge).

%% --- functions ---------------------------------------------------------------------------------

registered_fun() ->
    ok = spring_bridge:register_function(add, fun(A, B) -> A + B end),
    ?assertEqual(3, spring_bridge:call(add, [1, 2])),
    ?assertEqual(7, spring_bridge:call(<<"add">>, [3, 4])).

name_forms() ->
    ok = spring_bridge:register_function("twice", fun(X) -> 2 * X end),
    ?assertEqual(10, spring_bridge:call(twice, [5])),
    ?assertEqual(10, spring_bridge:call(<<"twice">>, [5])),
    ?assertEqual(10, spring_bridge:call("twice", [5])).

module_function() ->
    ok = spring_bridge:register_function(reverse, lists, reverse),
    ?assertEqual([3, 2, 1], spring_bridge:call(reverse, [[1, 2, 3]])),
    ?assertEqual([2, 1, 0], spring_bridge:call(reverse, [[1, 2], [0]])).

remote_function() ->
    ok = spring_bridge:register_function(remote_len, node(), erlang, length),
    ?assertEqual(2, spring_bridge:call(remote_len, [[a, b]])).

unknown_function() ->
    ?assertError({spring_bridge, unknown_function, <<"nope">>}, spring_bridge:call(nope, [])),
    ?assertError({invalid_arguments, notalist}, spring_bridge:call(add, notalist)).

exceptions_pass_through() ->
    ok = spring_bridge:register_function(boom, fun(Class, Reason) -> erlang:raise(Class, Reason, []) end),
    ?assertError(oops, spring_bridge:call(boom, [error, oops])),
    ?assertExit(gone, spring_bridge:call(boom, [exit, gone])),
    ?assertThrow(ball, spring_bridge:call(boom, [throw, ball])),
    ?assertError({badarity, _}, spring_bridge:call(add, [1])).

bad_registrations() ->
    ?assertError({invalid_function, 42}, spring_bridge:register_function(bad, 42)),
    ?assertError({invalid_name, 42}, spring_bridge:register_function(42, fun() -> ok end)),
    ?assertError({invalid_name, <<>>}, spring_bridge:register_function(<<>>, fun() -> ok end)),
    ?assertError({invalid_function, {"m", f}}, spring_bridge:register_function(bad, "m", f)),
    ?assertNot(lists:member(<<"bad">>, spring_bridge:registered_functions())).

survives_registrar() ->
    {Pid, Ref} = spawn_monitor(fun() ->
        ok = spring_bridge:register_function(orphan, fun() -> still_here end)
    end),
    receive {'DOWN', Ref, process, Pid, normal} -> ok end,
    ?assertEqual(still_here, spring_bridge:call(orphan, [])).

unregister_and_list() ->
    ok = spring_bridge:register_function(temp, fun() -> ok end),
    ?assert(lists:member(<<"temp">>, spring_bridge:registered_functions())),
    ?assert(spring_bridge:unregister_function(temp)),
    ?assertNot(spring_bridge:unregister_function(temp)),
    ?assertNot(lists:member(<<"temp">>, spring_bridge:registered_functions())),
    ?assertError({spring_bridge, unknown_function, <<"temp">>}, spring_bridge:call(temp, [])).

cast() ->
    Self = self(),
    ok = spring_bridge:register_function(notify, fun(Msg) -> Self ! {cast, Msg} end),
    ?assertEqual(ok, spring_bridge:cast(notify, [hello])),
    receive {cast, hello} -> ok after 5000 -> ?assert(false) end,
    ?assertEqual(ok, spring_bridge:cast(boom, [error, oops])),
    ?assertEqual(ok, spring_bridge:cast(nope, [])),
    %% the failures were the casts' own: the next cast runs
    ?assertEqual(ok, spring_bridge:cast(notify, [again])),
    receive {cast, again} -> ok after 5000 -> ?assert(false) end.

server_survives_junk() ->
    Pid = whereis(spring_bridge_server),
    ?assertMatch({error, {unknown_request, junk}}, gen_server:call(spring_bridge_server, junk)),
    ?assertMatch({error, {unknown_request, {register, 42, x}}},
                 gen_server:call(spring_bridge_server, {register, 42, x})),
    gen_server:cast(spring_bridge_server, junk),
    spring_bridge_server ! junk,
    ?assertEqual([?T], spring_bridge:tables()),
    ?assertEqual(Pid, whereis(spring_bridge_server)).

%% --- state -------------------------------------------------------------------------------------

ensure_table() ->
    ?assertEqual(ok, spring_bridge:ensure_table(?T)),
    Owner = self(),
    Foreign = ets:new(spring_bridge_eunit_foreign, [named_table, public]),
    ?assertMatch({error, {table_not_owned, spring_bridge_eunit_foreign, Owner}},
                 spring_bridge:ensure_table(spring_bridge_eunit_foreign)),
    ets:delete(Foreign),
    ?assertEqual(ok, spring_bridge:ensure_table(spring_bridge_eunit_other)),
    ?assert(spring_bridge:delete_table(spring_bridge_eunit_other)),
    ?assertNot(spring_bridge:delete_table(spring_bridge_eunit_other)),
    ?assertEqual(undefined, ets:whereis(spring_bridge_eunit_other)).

get_set_delete() ->
    ?assertEqual(undefined, spring_bridge_state:get(?T, <<"gsd">>)),
    ok = spring_bridge_state:set(?T, <<"gsd">>, #{any => [term, 1.5]}),
    ?assertEqual(#{any => [term, 1.5]}, spring_bridge_state:get(?T, <<"gsd">>)),
    ?assertEqual([{<<"gsd">>, #{any => [term, 1.5]}, infinity}], ets:lookup(?T, <<"gsd">>)),
    ?assert(spring_bridge_state:delete(?T, <<"gsd">>)),
    ?assertNot(spring_bridge_state:delete(?T, <<"gsd">>)),
    ?assertEqual(undefined, spring_bridge_state:get(?T, <<"gsd">>)).

get_multi() ->
    ok = spring_bridge_state:set(?T, <<"gm1">>, one),
    ok = spring_bridge_state:set(?T, <<"gm3">>, three),
    ?assertEqual(#{<<"gm1">> => one, <<"gm2">> => undefined, <<"gm3">> => three},
                 spring_bridge_state:get_multi(?T, [<<"gm1">>, <<"gm2">>, <<"gm3">>])),
    ?assertEqual(#{}, spring_bridge_state:get_multi(?T, [])).

ttl_expiry() ->
    ok = spring_bridge_state:set(?T, <<"ttl">>, v, 100),
    [{_, v, ExpiresAt}] = ets:lookup(?T, <<"ttl">>),
    ?assertEqual(v, spring_bridge_state:get(?T, <<"ttl">>)),
    wait_until(ExpiresAt),
    ?assertEqual(undefined, spring_bridge_state:get(?T, <<"ttl">>)),
    ?assertEqual(#{<<"ttl">> => undefined}, spring_bridge_state:get_multi(?T, [<<"ttl">>])),
    ?assertNot(spring_bridge_state:delete(?T, <<"ttl">>)),
    %% set without a ttl clears the expiry
    ok = spring_bridge_state:set(?T, <<"ttl2">>, v, 100),
    ok = spring_bridge_state:set(?T, <<"ttl2">>, w),
    ?assertMatch([{_, w, infinity}], ets:lookup(?T, <<"ttl2">>)).

incr() ->
    ?assertEqual(1, spring_bridge_state:incr(?T, <<"c">>, 1)),
    ?assertEqual(6, spring_bridge_state:incr(?T, <<"c">>, 5)),
    ?assertEqual(-4, spring_bridge_state:incr(?T, <<"c">>, -10)),
    ?assertEqual(-4, spring_bridge_state:get(?T, <<"c">>)),
    ok = spring_bridge_state:set(?T, <<"c2">>, 10, 60000),
    ?assertEqual(11, spring_bridge_state:incr(?T, <<"c2">>, 1)),
    ?assertMatch([{_, 11, E}] when is_integer(E), ets:lookup(?T, <<"c2">>)),
    Big = 1 bsl 70,
    ?assertEqual(Big - 4, spring_bridge_state:incr(?T, <<"c">>, Big)).

incr_not_integer() ->
    ok = spring_bridge_state:set(?T, <<"s">>, <<"text">>),
    ?assertError({not_integer, <<"s">>, <<"text">>}, spring_bridge_state:incr(?T, <<"s">>, 1)),
    ?assertEqual(<<"text">>, spring_bridge_state:get(?T, <<"s">>)),
    ok = spring_bridge_state:set(?T, <<"f">>, 1.5),
    ?assertError({not_integer, <<"f">>, 1.5}, spring_bridge_state:incr(?T, <<"f">>, 1)).

incr_expired() ->
    ok = spring_bridge_state:set(?T, <<"ce">>, 41, 50),
    [{_, _, ExpiresAt}] = ets:lookup(?T, <<"ce">>),
    wait_until(ExpiresAt),
    ?assertEqual(1, spring_bridge_state:incr(?T, <<"ce">>, 1)),
    ?assertMatch([{_, 1, infinity}], ets:lookup(?T, <<"ce">>)).

incr_concurrent() ->
    Self = self(),
    Pids = [spawn(fun() ->
                      [spring_bridge_state:incr(?T, <<"cc">>, 1) || _ <- lists:seq(1, 500)],
                      Self ! {done, self()}
                  end) || _ <- lists:seq(1, 20)],
    [receive {done, Pid} -> ok after 10000 -> ?assert(false) end || Pid <- Pids],
    ?assertEqual(10000, spring_bridge_state:get(?T, <<"cc">>)).

put_if_absent() ->
    ?assert(spring_bridge_state:put_if_absent(?T, <<"pia">>, first)),
    ?assertNot(spring_bridge_state:put_if_absent(?T, <<"pia">>, second)),
    ?assertEqual(first, spring_bridge_state:get(?T, <<"pia">>)),
    ok = spring_bridge_state:set(?T, <<"pia2">>, old, 50),
    [{_, _, ExpiresAt}] = ets:lookup(?T, <<"pia2">>),
    wait_until(ExpiresAt),
    ?assert(spring_bridge_state:put_if_absent(?T, <<"pia2">>, new, 60000)),
    ?assertEqual(new, spring_bridge_state:get(?T, <<"pia2">>)).

keys() ->
    ok = spring_bridge_state:set(?T, <<"k:b">>, 1),
    ok = spring_bridge_state:set(?T, <<"k:a">>, 1),
    ok = spring_bridge_state:set(?T, <<"k:gone">>, 1, 50),
    ok = spring_bridge_state:set(?T, <<"other">>, 1),
    [{_, _, ExpiresAt}] = ets:lookup(?T, <<"k:gone">>),
    wait_until(ExpiresAt),
    ?assertEqual([<<"k:a">>, <<"k:b">>], spring_bridge_state:keys(?T, <<"k:">>)),
    ?assert(lists:member(<<"other">>, spring_bridge_state:keys(?T, <<>>))).

expire() ->
    ok = spring_bridge_state:set(?T, <<"ex">>, v),
    ?assert(spring_bridge_state:expire(?T, <<"ex">>, 60000)),
    ?assertMatch([{_, v, E}] when is_integer(E), ets:lookup(?T, <<"ex">>)),
    ?assert(spring_bridge_state:expire(?T, <<"ex">>, infinity)),
    ?assertMatch([{_, v, infinity}], ets:lookup(?T, <<"ex">>)),
    ?assertNot(spring_bridge_state:expire(?T, <<"missing">>, 1000)),
    ?assert(spring_bridge_state:expire(?T, <<"ex">>, 30)),
    [{_, _, ExpiresAt}] = ets:lookup(?T, <<"ex">>),
    wait_until(ExpiresAt),
    ?assertNot(spring_bridge_state:expire(?T, <<"ex">>, 60000)),
    ?assertEqual(undefined, spring_bridge_state:get(?T, <<"ex">>)).

bad_state_input() ->
    ?assertError({invalid_key, "list"}, spring_bridge_state:get(?T, "list")),
    ?assertError({invalid_key, key}, spring_bridge_state:set(?T, key, v)),
    ?assertError({invalid_key, 1}, spring_bridge_state:get_multi(?T, [<<"a">>, 1])),
    ?assertError({invalid_ttl, 0}, spring_bridge_state:set(?T, <<"a">>, v, 0)),
    ?assertError({invalid_ttl, -5}, spring_bridge_state:expire(?T, <<"a">>, -5)),
    ?assertError({invalid_delta, 1.0}, spring_bridge_state:incr(?T, <<"a">>, 1.0)),
    ?assertError({invalid_prefix, "k"}, spring_bridge_state:keys(?T, "k")),
    ?assertError({invalid_table, "t"}, spring_bridge_state:get("t", <<"a">>)).

no_table() ->
    ?assertError({no_table, spring_bridge_eunit_none}, spring_bridge_state:get(spring_bridge_eunit_none, <<"a">>)),
    ?assertError({no_table, spring_bridge_eunit_none}, spring_bridge_state:incr(spring_bridge_eunit_none, <<"a">>, 1)),
    ?assertError({no_table, spring_bridge_eunit_none}, spring_bridge_state:set(spring_bridge_eunit_none, <<"a">>, 1)).

purge() ->
    ok = spring_bridge_state:set(?T, <<"purged">>, v, 20),
    ?assertMatch([_], ets:lookup(?T, <<"purged">>)),
    Deadline = erlang:monotonic_time(millisecond) + 5000,
    ?assert(poll(fun() -> ets:lookup(?T, <<"purged">>) =:= [] end, Deadline)).

%% Returns once this node's monotonic clock has passed Ms.
wait_until(Ms) ->
    case erlang:monotonic_time(millisecond) > Ms of
        true -> ok;
        false -> receive after 5 -> wait_until(Ms) end
    end.

poll(Fun, Deadline) ->
    case Fun() of
        true -> true;
        false ->
            case erlang:monotonic_time(millisecond) > Deadline of
                true -> false;
                false -> receive after 10 -> poll(Fun, Deadline) end
            end
    end.
