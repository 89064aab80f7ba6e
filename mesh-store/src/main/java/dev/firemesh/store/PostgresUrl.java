package dev.firemesh.store;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where a PostgreSQL server is, as the JDBC driver wants it: a URL without credentials plus
 * connection properties. Parsed from a libpq URI ({@code postgresql://user:pass@host:port/db?k=v},
 * also {@code postgres://}) or a JDBC URL ({@code jdbc:postgresql://host:port/db?k=v}).
 *
 * @param jdbcUrl {@code jdbc:postgresql://hosts/database}, no credentials or parameters
 * @param properties user, password and the URL's parameters, in the driver's names
 * @param display the URL for people and logs, password masked
 */
record PostgresUrl(String jdbcUrl, Map<String, String> properties, String display) {

  /**
   * A parameter of ours, not libpq's: the path of a file whose first line is the password (libpq's
   * {@code passfile} is a {@code .pgpass} file, a different format).
   */
  static final String PASSWORD_FILE = "passwordFile";

  /**
   * A parameter of ours: the most connections the process's pool opens. A service's writers, its
   * sequencer and its subscriptions share them (docs/benchmarks.md, "Event store, commands and
   * subscriptions", measures what too few cost).
   */
  static final String POOL_SIZE = "poolSize";

  static final int DEFAULT_POOL_SIZE = 8;
  private static final int MAX_POOL_SIZE = 100;

  private static final String USAGE =
      "expected postgresql://[user[:password]@]host[:port][/database][?param=value&...]"
          + " or jdbc:postgresql://host[:port]/database[?param=value&...]";

  // libpq parameter names the JDBC driver spells differently; the rest (sslmode, sslrootcert,
  // options...) share their names.
  private static final Map<String, String> DRIVER_NAMES =
      Map.of("application_name", "ApplicationName", "connect_timeout", "connectTimeout");

  PostgresUrl {
    properties = Map.copyOf(properties);
  }

  static PostgresUrl parse(String url) {
    boolean jdbc = url.startsWith("jdbc:postgresql://");
    String rest;
    if (jdbc) {
      rest = url.substring("jdbc:postgresql://".length());
    } else if (url.startsWith("postgresql://")) {
      rest = url.substring("postgresql://".length());
    } else if (url.startsWith("postgres://")) {
      rest = url.substring("postgres://".length());
    } else {
      throw new StoreException("unsupported PostgreSQL URL " + mask(url) + ": " + USAGE);
    }
    Map<String, String> properties = new LinkedHashMap<>();
    int query = rest.indexOf('?');
    if (query >= 0) {
      for (String pair : rest.substring(query + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new StoreException(
              "malformed parameter '" + pair + "' in PostgreSQL URL " + mask(url) + ": " + USAGE);
        }
        String name = decode(pair.substring(0, eq));
        properties.put(DRIVER_NAMES.getOrDefault(name, name), decode(pair.substring(eq + 1)));
      }
      rest = rest.substring(0, query);
    }
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String database = slash < 0 ? "" : decode(rest.substring(slash + 1));
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      if (jdbc) {
        throw new StoreException(
            "a JDBC URL takes credentials as ?user=...&password=..., not user@host: " + mask(url));
      }
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      if (colon >= 0) {
        properties.put("password", decode(userInfo.substring(colon + 1)));
        userInfo = userInfo.substring(0, colon);
      }
      if (!userInfo.isEmpty()) {
        properties.put("user", decode(userInfo));
      }
    }
    if (authority.isEmpty()) {
      authority = "localhost"; // libpq would use a Unix socket; the JDBC driver speaks TCP only
    }
    String passwordFile = properties.remove(PASSWORD_FILE);
    if (passwordFile != null) {
      if (properties.containsKey("password")) {
        throw new StoreException(
            "PostgreSQL URL " + mask(url) + " gives both a password and " + PASSWORD_FILE);
      }
      properties.put("password", readPassword(Path.of(passwordFile), url));
    }
    String poolSize = properties.get(POOL_SIZE);
    if (poolSize != null && !validPoolSize(poolSize)) {
      throw new StoreException(
          POOL_SIZE
              + " in PostgreSQL URL "
              + mask(url)
              + " must be a whole number from 1 to "
              + MAX_POOL_SIZE
              + ", not '"
              + poolSize
              + "'");
    }
    String jdbcUrl =
        "jdbc:postgresql://"
            + authority
            + "/"
            + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    return new PostgresUrl(jdbcUrl, properties, display(authority, database, properties));
  }

  /**
   * Reads the first line of a password file: a secret kept out of the URL, so the URL can be shown
   * and handed to other processes without it.
   */
  private static String readPassword(Path file, String url) {
    try {
      String content = Files.readString(file, StandardCharsets.UTF_8);
      int newline = content.indexOf('\n');
      String password = (newline < 0 ? content : content.substring(0, newline)).strip();
      if (password.isEmpty()) {
        throw new StoreException(
            "the password file " + file + " named by " + PASSWORD_FILE + " is empty");
      }
      return password;
    } catch (IOException e) {
      throw new StoreException(
          "cannot read the password file "
              + file
              + " named by "
              + PASSWORD_FILE
              + " in PostgreSQL URL "
              + mask(url)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The same server as a libpq URI, credentials included: for another process to connect. */
  String libpqUri() {
    StringBuilder uri = new StringBuilder("postgresql://");
    String user = properties.get("user");
    if (user != null) {
      uri.append(encode(user));
      String password = properties.get("password");
      if (password != null) {
        uri.append(':').append(encode(password));
      }
      uri.append('@');
    }
    uri.append(jdbcUrl.substring("jdbc:postgresql://".length()));
    String separator = "?";
    for (var p : properties.entrySet()) {
      if (!p.getKey().equals("user") && !p.getKey().equals("password")) {
        uri.append(separator).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
        separator = "&";
      }
    }
    return uri.toString();
  }

  /** The same server and credentials, database {@code name}. */
  PostgresUrl withDatabase(String name) {
    String hosts = jdbcUrl.substring(0, jdbcUrl.lastIndexOf('/'));
    String authority = hosts.substring("jdbc:postgresql://".length());
    return new PostgresUrl(
        hosts + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"),
        properties,
        display(authority, name, properties));
  }

  /** As {@link #libpqUri()}, naming {@code passwordFile} instead of carrying the password. */
  String libpqUriWithPasswordFile(Path passwordFile) {
    Map<String, String> without = new LinkedHashMap<>(properties);
    without.remove("password");
    without.put(PASSWORD_FILE, passwordFile.toString());
    return new PostgresUrl(jdbcUrl, without, display).libpqUri();
  }

  /** The masked {@link #display()}: a record would otherwise print the password. */
  @Override
  public String toString() {
    return display;
  }

  /** The connection pool's size: the URL's {@code poolSize}, or {@value #DEFAULT_POOL_SIZE}. */
  int poolSize() {
    String size = properties.get(POOL_SIZE);
    return size == null ? DEFAULT_POOL_SIZE : Integer.parseInt(size);
  }

  /** The properties for the JDBC driver: ours ({@code poolSize}) left out. */
  Properties driverProperties() {
    Properties driver = new Properties();
    driver.putAll(properties);
    driver.remove(POOL_SIZE);
    return driver;
  }

  private static boolean validPoolSize(String size) {
    if (size.isEmpty() || size.length() > 3 || !size.chars().allMatch(Character::isDigit)) {
      return false;
    }
    int n = Integer.parseInt(size);
    return n >= 1 && n <= MAX_POOL_SIZE;
  }

  private static String display(String authority, String database, Map<String, String> props) {
    String user = props.getOrDefault("user", "");
    String password = props.containsKey("password") ? ":***" : "";
    String userInfo = user.isEmpty() && password.isEmpty() ? "" : user + password + "@";
    return "postgresql://" + userInfo + authority + "/" + database;
  }

  /** The URL as given, with any password replaced, for error messages about unparsable input. */
  static String mask(String url) {
    return url.replaceAll("(//[^:/@]*:)[^@/]*@", "$1***@")
        .replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  private static String decode(String s) {
    // URLDecoder turns '+' into a space, which a URI path or user name does not mean.
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // Not quoted: the part may be the password.
      throw new StoreException("malformed percent-escape (%XX) in a PostgreSQL URL: " + USAGE, e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
