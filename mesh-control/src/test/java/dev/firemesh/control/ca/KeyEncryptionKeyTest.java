package dev.firemesh.control.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyEncryptionKeyTest {
  @TempDir Path dir;

  @Test
  void theFirstStartCreatesAPrivateKeyFileAndLaterStartsReadIt() throws Exception {
    KeyEncryptionKey created = KeyEncryptionKey.loadOrCreate(dir);
    Path file = dir.resolve(KeyEncryptionKey.FILE_NAME);

    assertThat(Files.size(file)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(KeyEncryptionKey.loadOrCreate(dir).id()).isEqualTo(created.id()).hasSize(16);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void aFileGroupOrOthersCanReadIsRefusedNamingFileAndMode() throws Exception {
    KeyEncryptionKey.loadOrCreate(dir);
    Path file = dir.resolve(KeyEncryptionKey.FILE_NAME);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));

    assertThatThrownBy(() -> KeyEncryptionKey.load(file))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("0640 (rw-r-----)");
  }

  @Test
  void aFileOfTheWrongSizeIsRefused() throws Exception {
    Path file = dir.resolve("short.kek");
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, "0123456789abcdef0123456789abcdef\n");

    assertThatThrownBy(() -> KeyEncryptionKey.load(file)).hasMessageContaining("holds 33 bytes");
  }

  @Test
  void sealedBytesOpenOnlyWithTheSameKeyAndBinding() {
    KeyEncryptionKey kek = KeyEncryptionKey.of(new byte[32]);
    byte[] bound = "fingerprint-a".getBytes(StandardCharsets.US_ASCII);
    byte[] secret = "a private key".getBytes(StandardCharsets.US_ASCII);

    byte[] sealed = kek.seal(secret, bound);

    assertThat(kek.open(sealed, kek.id(), bound)).isEqualTo(secret);
    assertThat(kek.seal(secret, bound)).as("a fresh nonce each time").isNotEqualTo(sealed);
    assertThatThrownBy(
            () -> kek.open(sealed, kek.id(), "fingerprint-b".getBytes(StandardCharsets.US_ASCII)))
        .hasMessageContaining("belongs to another certificate");
    sealed[20] ^= 1;
    assertThatThrownBy(() -> kek.open(sealed, kek.id(), bound)).hasMessageContaining("altered");
  }

  @Test
  void aWrongKeyIsNamedWithBothIds() {
    KeyEncryptionKey right = KeyEncryptionKey.of(new byte[32]);
    byte[] other = new byte[32];
    other[0] = 1;
    KeyEncryptionKey wrong = KeyEncryptionKey.of(other);
    byte[] sealed = right.seal(new byte[] {1}, new byte[0]);

    assertThatThrownBy(() -> wrong.open(sealed, right.id(), new byte[0]))
        .hasMessageContaining(right.id())
        .hasMessageContaining(wrong.id());
  }
}
