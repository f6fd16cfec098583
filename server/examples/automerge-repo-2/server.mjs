// A sync server on automerge-repo 2.5.6, for scripts/bench-reference.sh
// only: the stock WebSocketServerAdapter and NodeFSStorageAdapter, set up
// as @automerge/automerge-repo-sync-server sets up its repo (a server that
// syncs only the documents a peer asks for by id), bound to loopback.
// PORT and DATA_DIR as for that server.
import fs from "fs"
import { WebSocketServer } from "ws"
import { Repo } from "@automerge/automerge-repo"
import { WebSocketServerAdapter } from "@automerge/automerge-repo-network-websocket"
import { NodeFSStorageAdapter } from "@automerge/automerge-repo-storage-nodefs"

const port = parseInt(process.env.PORT ?? "3030")
const dir = process.env.DATA_DIR ?? ".amrg"
fs.mkdirSync(dir, { recursive: true })

const socket = new WebSocketServer({ host: "127.0.0.1", port })
new Repo({
  network: [new WebSocketServerAdapter(socket)],
  storage: new NodeFSStorageAdapter(dir),
  peerId: "storage-server-bench",
  sharePolicy: async () => false,
})
socket.on("listening", () => console.log(`Listening on port ${port}`))
