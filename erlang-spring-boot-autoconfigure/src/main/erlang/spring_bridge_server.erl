%% The process that owns spring_bridge's ETS tables: the registry of functions
%% (spring_bridge_functions) and the state tables created by spring_bridge:ensure_table/1; it also
%% purges the expired objects of the Mnesia tables ensured on this node. Owning
%% them here keeps them alive when the processes that use them (RPC calls from Java, request
%% hooks) come and go. Reads and writes do not pass through this process: the tables are read by
%% the callers directly. Unexpected requests are answered with an error and logged, never crash it.
-module(spring_bridge_server).
-behaviour(gen_server).

-export([start_link/0]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-define(FUNCTIONS, spring_bridge_functions).
-define(DEFAULT_PURGE_INTERVAL, 1000).

-record(state, {tables = #{} :: #{atom() => true},
                mnesia_tables = #{} :: #{atom() => true},
                purge_interval :: pos_integer()}).

start_link() ->
    gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

init([]) ->
    ?FUNCTIONS = ets:new(?FUNCTIONS, [set, protected, named_table, {read_concurrency, true}]),
    Interval = case application:get_env(spring_bridge, purge_interval) of
                   {ok, Ms} when is_integer(Ms), Ms > 0 -> Ms;
                   _ -> ?DEFAULT_PURGE_INTERVAL
               end,
    schedule_purge(Interval),
    {ok, #state{purge_interval = Interval}}.

handle_call({register, Name, Target}, _From, State) when is_binary(Name) ->
    true = ets:insert(?FUNCTIONS, {Name, Target}),
    {reply, ok, State};
handle_call({unregister, Name}, _From, State) when is_binary(Name) ->
    {reply, ets:take(?FUNCTIONS, Name) =/= [], State};
handle_call({ensure_table, Name}, _From, State) when is_atom(Name) ->
    {Reply, NewState} = ensure_table(Name, State),
    {reply, Reply, NewState};
handle_call({delete_table, Name}, _From, #state{tables = Tables} = State) when is_atom(Name) ->
    case maps:is_key(Name, Tables) of
        true ->
            ets:delete(Name),
            {reply, true, State#state{tables = maps:remove(Name, Tables)}};
        false ->
            {reply, false, State}
    end;
handle_call(tables, _From, #state{tables = Tables} = State) ->
    {reply, lists:sort(maps:keys(Tables)), State};
handle_call(Request, From, State) ->
    logger:warning("spring_bridge_server: unexpected call ~tp from ~tp", [Request, From]),
    {reply, {error, {unknown_request, Request}}, State}.

handle_cast({purge_mnesia, Table}, #state{mnesia_tables = Tables} = State) when is_atom(Table) ->
    {noreply, State#state{mnesia_tables = Tables#{Table => true}}};
handle_cast(Request, State) ->
    logger:warning("spring_bridge_server: unexpected cast ~tp", [Request]),
    {noreply, State}.

handle_info(purge, #state{tables = Tables, purge_interval = Interval} = State) ->
    Now = erlang:monotonic_time(millisecond),
    Expired = [{{'_', '_', '$1'}, [{is_integer, '$1'}, {'=<', '$1', Now}], [true]}],
    maps:foreach(fun(Table, _) -> _ = ets:select_delete(Table, Expired) end, Tables),
    maps:foreach(fun(Table, _) ->
                         try spring_bridge_mnesia:purge(Table)
                         catch error:_ -> ok  % Mnesia stopped, or the table deleted: later
                         end
                 end, State#state.mnesia_tables),
    schedule_purge(Interval),
    {noreply, State};
handle_info(Message, State) ->
    logger:info("spring_bridge_server: ignored message ~tp", [Message]),
    {noreply, State}.

terminate(_Reason, _State) ->
    ok.

ensure_table(Name, #state{tables = Tables} = State) ->
    case ets:whereis(Name) of
        undefined ->
            Name = ets:new(Name, [set, public, named_table, {keypos, 1},
                                  {read_concurrency, true}, {write_concurrency, true}]),
            {ok, State#state{tables = Tables#{Name => true}}};
        _ ->
            case maps:is_key(Name, Tables) of
                true -> {ok, State};
                false -> {{error, {table_not_owned, Name, ets:info(Name, owner)}}, State}
            end
    end.

schedule_purge(Interval) ->
    erlang:send_after(Interval, self(), purge).
