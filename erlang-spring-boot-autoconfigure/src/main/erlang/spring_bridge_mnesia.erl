%% Shared state in a Mnesia table replicated on several Erlang nodes: what a Spring application's
%% StateTemplate calls with erlang.state.backend=mnesia, and what Erlang code on any of those nodes
%% can call to share that state. Same functions and errors as spring_bridge_state, with a table
%% that survives the loss of any replica.
%%
%% ensure_table/2 starts Mnesia on every node named (a RAM schema where there is none), joins them
%% into one Mnesia cluster and creates the table with a ram_copies replica on each; called on a
%% node that was restarted, it joins it again and the node loads the table from the others
%% (catches up). A table created beforehand (for example with disc_copies) is used as it is.
%%
%% Objects are #spring_state{key, value, expires_at}: Key a binary, ExpiresAt
%% erlang:system_time(millisecond) after which the object is gone, or infinity (wall clock, since
%% the replicas live on different nodes: their clocks must agree to within the precision TTLs
%% need). Every operation is one mnesia:sync_transaction/1: atomic, isolated, and acknowledged
%% only once every running replica has committed it, so a replica killed at any moment loses no
%% acknowledged write. Counters are read-modify-write inside that transaction (not
%% dirty_update_counter, which is neither isolated nor synchronously replicated).
%%
%% A missing table, or Mnesia not running on this node (a restarted node), raises
%% error({no_table, Table}): the Java side then calls ensure_table/2 here and tries again.
-module(spring_bridge_mnesia).

-export([ensure_table/2, get/2, get_multi/2, set/3, set/4, put_if_absent/3, put_if_absent/4,
         delete/2, incr/3, keys/2, expire/3, purge/1]).

-record(spring_state, {key :: binary(), value :: term(), expires_at :: integer() | infinity}).

-type table() :: atom().
-type key() :: binary().
-type ttl() :: pos_integer() | infinity.

%% @doc Makes Table a replicated table with a copy on each of Nodes (this node included), starting
%% and joining Mnesia where needed, and waits until it is loaded here.
-spec ensure_table(table(), [node()]) -> ok.
ensure_table(Table, Nodes0) when is_atom(Table), is_list(Nodes0) ->
    Nodes = lists:usort([node() | Nodes0]),
    Others = Nodes -- [node()],
    ok = start_mnesia(node()),
    %% the others that can be reached start Mnesia too; one that cannot gets its copy when it
    %% calls ensure_table/2 itself
    Running = [N || N <- Others, start_mnesia(N) =:= ok],
    {ok, _} = mnesia:change_config(extra_db_nodes, Running),
    case lists:member(Table, mnesia:system_info(tables)) of
        true -> ok;
        false -> create(Table, [node() | Running])
    end,
    ok = add_copy(Table),
    case mnesia:wait_for_tables([Table], 30000) of
        ok ->
            %% spring_bridge_server (when running here) frees expired objects' memory
            gen_server:cast(spring_bridge_server, {purge_mnesia, Table}),
            ok;
        {timeout, _} -> error({table_not_loaded, Table});
        {error, Reason} -> error({table_not_loaded, Table, Reason})
    end.

start_mnesia(Node) when Node =:= node() ->
    case mnesia:start() of
        ok -> ok;
        {error, Reason} -> error({mnesia_not_started, Reason})
    end;
start_mnesia(Node) ->
    try erpc:call(Node, mnesia, start, [], 30000) of
        ok -> ok;
        Other -> {error, Other}
    catch
        _:Reason -> {error, Reason}
    end.

create(Table, Nodes) ->
    case mnesia:create_table(Table, [{ram_copies, Nodes},
                                     {record_name, spring_state},
                                     {attributes, record_info(fields, spring_state)}]) of
        {atomic, ok} -> ok;
        {aborted, {already_exists, Table}} -> ok;
        {aborted, Reason} -> error({cannot_create_table, Table, Reason})
    end.

add_copy(Table) ->
    Copies = mnesia:table_info(Table, ram_copies) ++ mnesia:table_info(Table, disc_copies)
        ++ mnesia:table_info(Table, disc_only_copies),
    case lists:member(node(), Copies) of
        true -> ok;
        false ->
            case mnesia:add_table_copy(Table, node(), ram_copies) of
                {atomic, ok} -> ok;
                {aborted, {already_exists, Table, _}} -> ok;
                {aborted, Reason} -> error({cannot_copy_table, Table, Reason})
            end
    end.

%% @doc The value of Key, or undefined when it is missing or expired.
-spec get(table(), key()) -> term().
get(Table, Key) ->
    check_key(Key),
    transaction(Table, fun() -> live_value(mnesia:read(Table, Key), now_ms()) end).

%% @doc Every key asked for, mapped to its value or to undefined.
-spec get_multi(table(), [key()]) -> #{key() => term()}.
get_multi(Table, Keys) when is_list(Keys) ->
    lists:foreach(fun check_key/1, Keys),
    transaction(Table, fun() ->
        Now = now_ms(),
        maps:from_list([{Key, live_value(mnesia:read(Table, Key), Now)} || Key <- Keys])
    end);
get_multi(_Table, Keys) ->
    error({invalid_keys, Keys}).

-spec set(table(), key(), term()) -> ok.
set(Table, Key, Value) ->
    set(Table, Key, Value, infinity).

%% @doc Stores Value under Key for Ttl milliseconds (infinity: no expiry, removing any earlier).
-spec set(table(), key(), term(), ttl()) -> ok.
set(Table, Key, Value, Ttl) ->
    check_key(Key),
    ExpiresAt = expires_at(Ttl),
    transaction(Table, fun() -> write(Table, Key, Value, ExpiresAt) end).

-spec put_if_absent(table(), key(), term()) -> boolean().
put_if_absent(Table, Key, Value) ->
    put_if_absent(Table, Key, Value, infinity).

%% @doc Stores Value under Key unless it holds a live value; returns whether it stored.
-spec put_if_absent(table(), key(), term(), ttl()) -> boolean().
put_if_absent(Table, Key, Value, Ttl) ->
    check_key(Key),
    ExpiresAt = expires_at(Ttl),
    transaction(Table, fun() ->
        case live(mnesia:read(Table, Key, write), now_ms()) of
            {ok, _} -> false;
            none -> write(Table, Key, Value, ExpiresAt), true
        end
    end).

%% @doc Deletes Key; returns whether it held a live value.
-spec delete(table(), key()) -> boolean().
delete(Table, Key) ->
    check_key(Key),
    transaction(Table, fun() ->
        Found = mnesia:read(Table, Key, write),
        ok = mnesia:delete(Table, Key, write),
        live(Found, now_ms()) =/= none
    end).

%% @doc Adds Delta to the integer under Key and returns the new value. A missing or expired key
%% starts from 0 without expiry; a live key keeps its expiry.
-spec incr(table(), key(), integer()) -> integer().
incr(Table, Key, Delta) when is_integer(Delta) ->
    check_key(Key),
    Result = transaction(Table, fun() ->
        case live(mnesia:read(Table, Key, write), now_ms()) of
            {ok, #spring_state{value = Value, expires_at = ExpiresAt}} when is_integer(Value) ->
                write(Table, Key, Value + Delta, ExpiresAt),
                {ok, Value + Delta};
            {ok, #spring_state{value = Value}} ->
                {not_integer, Value};
            none ->
                write(Table, Key, Delta, infinity),
                {ok, Delta}
        end
    end),
    case Result of
        {ok, New} -> New;
        {not_integer, Value} -> error({not_integer, Key, Value})
    end;
incr(_Table, _Key, Delta) ->
    error({invalid_delta, Delta}).

%% @doc The live keys that start with Prefix, sorted. Scans the whole table.
-spec keys(table(), binary()) -> [key()].
keys(Table, Prefix) when is_binary(Prefix) ->
    Size = byte_size(Prefix),
    Live = transaction(Table, fun() ->
        Now = now_ms(),
        mnesia:select(Table, [{#spring_state{key = '$1', expires_at = '$2', _ = '_'},
                               [{'orelse', {'=:=', '$2', infinity}, {'>', '$2', Now}}], ['$1']}])
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
    transaction(Table, fun() ->
        case live(mnesia:read(Table, Key, write), now_ms()) of
            {ok, #spring_state{value = Value}} -> write(Table, Key, Value, ExpiresAt), true;
            none -> false
        end
    end).

%% @doc Deletes the expired objects of Table; returns how many. Reads never return them, so this
%% only frees their memory; spring_bridge_server runs it for the tables ensured on its node.
-spec purge(table()) -> non_neg_integer().
purge(Table) ->
    transaction(Table, fun() ->
        Now = now_ms(),
        Expired = mnesia:select(Table, [{#spring_state{key = '$1', expires_at = '$2', _ = '_'},
                                         [{is_integer, '$2'}, {'=<', '$2', Now}], ['$1']}], write),
        lists:foreach(fun(Key) -> mnesia:delete(Table, Key, write) end, Expired),
        length(Expired)
    end).

write(Table, Key, Value, ExpiresAt) ->
    mnesia:write(Table, #spring_state{key = Key, value = Value, expires_at = ExpiresAt}, write).

transaction(Table, Fun) when is_atom(Table) ->
    case mnesia:sync_transaction(Fun) of
        {atomic, Result} -> Result;
        {aborted, {no_exists, _}} -> error({no_table, Table});
        {aborted, {node_not_running, _}} -> error({no_table, Table});
        {aborted, {{no_exists, _}, _}} -> error({no_table, Table});
        {aborted, Reason} -> error({aborted, Reason})
    end;
transaction(Table, _Fun) ->
    error({invalid_table, Table}).

live([#spring_state{expires_at = infinity} = Object], _Now) -> {ok, Object};
live([#spring_state{expires_at = ExpiresAt} = Object], Now) when ExpiresAt > Now -> {ok, Object};
live(_, _) -> none.

live_value(Objects, Now) ->
    case live(Objects, Now) of
        {ok, #spring_state{value = Value}} -> Value;
        none -> undefined
    end.

check_key(Key) when is_binary(Key) -> ok;
check_key(Key) -> error({invalid_key, Key}).

expires_at(infinity) -> infinity;
expires_at(Ttl) when is_integer(Ttl), Ttl > 0 -> now_ms() + Ttl;
expires_at(Ttl) -> error({invalid_ttl, Ttl}).

now_ms() ->
    erlang:system_time(millisecond).
