import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local's own main, but listening on 127.0.0.1: the jar has no host option and its Jetty
 * server binds every interface, which with -sharedDb and no authentication would serve every table
 * to the network. Same command-line arguments as the jar; telemetry is never configured, so none is sent.
 *
 * `-port 0` (which the jar's own parser refuses) lets the system choose the port as the socket
 * binds, so that no other process can take it between being chosen and bound, as a port probed
 * free beforehand can be under load. The bound port is printed once listening.
 */
public class LoopbackDynamoDBLocal {
  public static void main(String[] args) throws Exception {
    int port = -1;
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("-port") && args[i + 1].equals("0")) {
        port = 0;
        args[i + 1] = "8000"; // a placeholder for the parser; the connector is given 0 below
      }
    }
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) {
      ((ServerConnector) connector).setHost("127.0.0.1");
      if (port == 0) ((ServerConnector) connector).setPort(0);
    }
    proxy.start();
    for (Connector connector : server.getConnectors()) {
      System.out.println("doudi: listening on port " + ((ServerConnector) connector).getLocalPort());
    }
  }
}
