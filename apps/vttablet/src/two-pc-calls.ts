import { create } from "@bufbuild/protobuf";
import type { GenService } from "@bufbuild/protobuf/codegenv2";
import type { ServiceImpl } from "@vt/rpc";
import type { Query } from "@vt/proto/queryservice";
import {
  CommitPreparedResponseSchema, ConcludeTransactionResponseSchema, CreateTransactionResponseSchema, PrepareResponseSchema,
  ReadTransactionResponseSchema, RollbackPreparedResponseSchema, SetRollbackResponseSchema, StartCommitResponseSchema,
  TransactionMetadataSchema, UnresolvedTransactionsResponseSchema, type TransactionMetadata,
} from "@vt/proto/query";
import type { TabletServer } from "./tablet-server.js";
import type { DtMetadata } from "./two-pc.js";

type QueryMethods = typeof Query extends GenService<infer S> ? S : never;
type TwoPcMethods = "prepare" | "commitPrepared" | "rollbackPrepared" | "createTransaction" | "startCommit" | "setRollback" |
  "concludeTransaction" | "readTransaction" | "unresolvedTransactions";

const metadataToProto = (m: DtMetadata): TransactionMetadata => create(TransactionMetadataSchema, {
  dtid: m.dtid, state: m.state, timeCreated: m.timeCreated,
  participants: m.participants.map((p) => ({ keyspace: p.keyspace, shard: p.shard, tabletType: 1 })),
});

/**
 * The 2PC RPCs of service Query (Vitess's names and messages), served as unary RPCs only. Calls that finish an
 * existing transaction are allowed while the tablet is not serving, as Commit is.
 */
export function twoPcHandlers(ts: TabletServer): Pick<ServiceImpl<QueryMethods>, TwoPcMethods> {
  return {
    prepare: async (req) => {
      await ts.twoPcFor(req.target, true).prepare(req.transactionId, req.dtid);
      return create(PrepareResponseSchema, {});
    },
    commitPrepared: async (req) => {
      await ts.twoPcFor(req.target, true).commitPrepared(req.dtid);
      return create(CommitPreparedResponseSchema, {});
    },
    rollbackPrepared: async (req) => {
      await ts.twoPcFor(req.target, true).rollbackPrepared(req.dtid, req.transactionId);
      return create(RollbackPreparedResponseSchema, {});
    },
    createTransaction: async (req) => {
      await ts.twoPcFor(req.target, false).createTransaction(req.dtid, req.participants);
      return create(CreateTransactionResponseSchema, {});
    },
    startCommit: async (req) => {
      await ts.twoPcFor(req.target, true).startCommit(req.transactionId, req.dtid);
      return create(StartCommitResponseSchema, {});
    },
    setRollback: async (req) => {
      await ts.twoPcFor(req.target, true).setRollback(req.dtid, req.transactionId);
      return create(SetRollbackResponseSchema, {});
    },
    concludeTransaction: async (req) => {
      await ts.twoPcFor(req.target, true).concludeTransaction(req.dtid);
      return create(ConcludeTransactionResponseSchema, {});
    },
    readTransaction: async (req) => {
      const m = await ts.twoPcFor(req.target, true).readTransaction(req.dtid);
      return create(ReadTransactionResponseSchema, m ? { metadata: metadataToProto(m) } : {});
    },
    unresolvedTransactions: async (req) => {
      const list = await ts.twoPcFor(req.target, true).unresolvedTransactions(Number(req.abandonAge) * 1000);
      return create(UnresolvedTransactionsResponseSchema, { transactions: list.map(metadataToProto) });
    },
  };
}
