%% Shared state in an ETS table made by spring_bridge:ensure_table/1: what a Spring application's
%% StateTemplate calls with erlang.state.backend=ets, and what Erlang code on this node can call
%% (or read directly) to share that state.
%%
%% Objects are {Key, Value, ExpiresAt}: Key a binary, Value any term, ExpiresAt
%% erlang:monotonic_time(millisecond) of this node after which the object is gone, or infinity.
%% These functions never return an expired object (checked on every read); spring_bridge_server
%% deletes expired objects periodically, so a direct ets:lookup/2 may still see one until then.
%% Counters are updated atomically with ets:update_counter/4.
%%
%% Bad input raises error({invalid_key, Key}), error({invalid_ttl, Ttl}) or
%% error({invalid_delta, Delta}); incrementing a value that is not an integer raises
%% error({not_integer, Key, Value}) and leaves it as it was; a missing table raises
%% error({no_table, Table}).
-module(spring_bridge_state).

-export([get/2, get_multi/2, set/3, set/4, put_if_absent/3, put_if_absent/4, delete/2,
         incr/3, keys/2, expire/3]).

-type table() :: atom().
-type key() :: binary().
-type ttl() :: pos_integer() | infinity.

%% @doc The value of Key, or undefined when it is missing or expired.
-spec get(table(), key()) -> term().
get(Table, Key) ->
    check_key(Key),
    Now = now_ms(),
    live_value(lookup(Table, Key), Now).

%% @doc Every key asked for, mapped to its value or to undefined: one call for many keys.
-spec get_multi(table(), [key()]) -> #{key() => term()}.
get_multi(Table, Keys) when is_list(Keys) ->
    lists:foreach(fun check_key/1, Keys),
    Now = now_ms(),
    maps:from_list([{Key, live_value(lookup(Table, Key), Now)} || Key <- Keys]);
get_multi(_Table, Keys) ->
    error({invalid_keys, Keys}).

%% @doc Stores Value under Key without expiry (removing any earlier expiry).
-spec set(table(), key(), term()) -> ok.
set(Table, Key, Value) ->
    set(Table, Key, Value, infinity).

%% @doc Stores Value under Key for Ttl milliseconds.
-spec set(table(), key(), term(), ttl()) -> ok.
set(Table, Key, Value, Ttl) ->
    check_key(Key),
    ExpiresAt = expires_at(Ttl),
    with_table(Table, fun() -> true = ets:insert(Table, {Key, Value, ExpiresAt}), ok end).

%% @doc Stores Value under Key unless it holds a live value; returns whether it stored.
-spec put_if_absent(table(), key(), term()) -> boolean().
put_if_absent(Table, Key, Value) ->
    put_if_absent(Table, Key, Value, infinity).

-spec put_if_absent(table(), key(), term(), ttl()) -> boolean().
put_if_absent(Table, Key, Value, Ttl) ->
    check_key(Key),
    ExpiresAt = expires_at(Ttl),
    with_table(Table, fun() ->
        ets:insert_new(Table, {Key, Value, ExpiresAt})
            %% present, but maybe expired: replace it only if it still is (atomic per object)
            orelse ets:select_replace(Table, [{{Key, '_', '$1'}, [{'=<', '$1', now_ms()}],
                                               [{const, {Key, Value, ExpiresAt}}]}]) =:= 1
    end).

%% @doc Deletes Key; returns whether it held a live value.
-spec delete(table(), key()) -> boolean().
delete(Table, Key) ->
    check_key(Key),
    with_table(Table, fun() ->
        case ets:take(Table, Key) of
            [{_, _, ExpiresAt}] -> ExpiresAt > now_ms();
            [] -> false
        end
    end).

%% @doc Adds Delta (may be negative) to the integer under Key and returns the new value. A
%% missing or expired key starts from 0 without expiry; a live key keeps its expiry.
-spec incr(table(), key(), integer()) -> integer().
incr(Table, Key, Delta) when is_integer(Delta) ->
    check_key(Key),
    with_table(Table, fun() -> incr(Table, Key, Delta, 3) end);
incr(_Table, _Key, Delta) ->
    error({invalid_delta, Delta}).

incr(Table, Key, Delta, Attempts) ->
    Now = now_ms(),
    case ets:lookup(Table, Key) of
        [{_, _, ExpiresAt}] when ExpiresAt =< Now ->
            %% an expired counter starts again from 0 (atomic per object: only if still expired)
            _ = ets:select_replace(Table, [{{Key, '_', '$1'}, [{'=<', '$1', Now}],
                                            [{const, {Key, 0, infinity}}]}]);
        _ ->
            %% live or missing: a key that expires from here on was live when this call began
            ok
    end,
    try
        ets:update_counter(Table, Key, {2, Delta}, {Key, 0, infinity})
    catch
        error:badarg:Stack ->
            case ets:lookup(Table, Key) of
                [{_, Value, _}] when not is_integer(Value) ->
                    error({not_integer, Key, Value});
                _ when Attempts > 1 ->
                    %% changed by another process since: try again
                    incr(Table, Key, Delta, Attempts - 1);
                _ ->
                    erlang:raise(error, badarg, Stack)
            end
    end.

%% @doc The live keys that start with Prefix, sorted. Scans the whole table.
-spec keys(table(), binary()) -> [key()].
keys(Table, Prefix) when is_binary(Prefix) ->
    Size = byte_size(Prefix),
    Live = with_table(Table, fun() ->
        ets:select(Table, [{{'$1', '_', '$2'}, [{'>', '$2', now_ms()}], ['$1']}])
    end),
    lists:sort([Key || Key <- Live, binary:longest_common_prefix([Key, Prefix]) =:= Size]);
keys(_Table, Prefix) ->
    error({invalid_prefix, Prefix}).

%% @doc Makes a live Key expire Ttl milliseconds from now (infinity: never); returns whether Key
%% held a live value.
-spec expire(table(), key(), ttl()) -> boolean().
expire(Table, Key, Ttl) ->
    check_key(Key),
    ExpiresAt = expires_at(Ttl),
    with_table(Table, fun() ->
        ets:select_replace(Table, [{{Key, '$1', '$2'}, [{'>', '$2', now_ms()}],
                                    [{{{const, Key}, '$1', {const, ExpiresAt}}}]}]) =:= 1
    end).

lookup(Table, Key) ->
    with_table(Table, fun() -> ets:lookup(Table, Key) end).

live_value([{_, Value, ExpiresAt}], Now) when ExpiresAt > Now -> Value;
live_value(_, _) -> undefined.

%% A missing table makes ets raise badarg; say which table instead.
with_table(Table, Fun) when is_atom(Table) ->
    try
        Fun()
    catch
        error:badarg:Stack ->
            case ets:whereis(Table) of
                undefined -> error({no_table, Table});
                _ -> erlang:raise(error, badarg, Stack)
            end
    end;
with_table(Table, _Fun) ->
    error({invalid_table, Table}).

check_key(Key) when is_binary(Key) -> ok;
check_key(Key) -> error({invalid_key, Key}).

expires_at(infinity) -> infinity;
expires_at(Ttl) when is_integer(Ttl), Ttl > 0 -> now_ms() + Ttl;
expires_at(Ttl) -> error({invalid_ttl, Ttl}).

now_ms() ->
    erlang:monotonic_time(millisecond).
