package dev.statehouse.support;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on loopback between the service and its database, which the test can cut: while cut,
 * every byte either way is swallowed and new connections are accepted but never reach the server
 * (a black-holed network: the service's sockets stay open and nothing answers); {@link #heal}
 * resets the connections that lived through the cut (as a router that lost their state does) and
 * lets new ones through again.
 */
public final class FaultProxy implements Closeable {

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    private volatile boolean closed;

    public FaultProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fault-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on nothing gets through, either way, on old or new connections. */
    public void cut() {
        cut = true;
    }

    /** Resets every connection open now and lets new connections through again. */
    public void heal() {
        for (Socket s : sockets) {
            reset(s);
        }
        sockets.clear();
        cut = false;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                sockets.add(client);
                Thread t = new Thread(() -> connect(client), "fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                if (!closed) {
                    sleep(10);
                }
            }
        }
    }

    private void connect(Socket client) {
        while (cut && !client.isClosed()) { // black-holed: the connection waits and hears nothing
            sleep(20);
        }
        if (client.isClosed()) {
            return;
        }
        Socket server = new Socket();
        try {
            server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
        } catch (IOException e) {
            reset(client);
            return;
        }
        sockets.add(server);
        pump(client, server);
        pump(server, client);
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!cut) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                if (!cut) { // during a cut the other side learns nothing
                    reset(from);
                    reset(to);
                }
            }
        }, "fault-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0); // RST, as a router that forgot the connection answers
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        heal();
    }
}
