package dev.sluice.sink.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A named credential's files, read again when they change: rotation without a restart. */
class CredentialDirectoryTest {

    @TempDir Path dir;

    private final AtomicLong clock = new AtomicLong(1_000_000);

    private void write(String file, String value, long modifiedMillis) throws Exception {
        Path path = dir.resolve("acme").resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, value);
        Files.setLastModifiedTime(path, FileTime.fromMillis(modifiedMillis));
    }

    @Test
    void readsTheFilesAndAgainOnceTheyChange() throws Exception {
        write("access-key-id", "AKIA-ONE\n", 1_000);
        write("secret-access-key", "secret-one\n", 1_000);
        CredentialDirectory credential = new CredentialDirectory(dir.resolve("acme"), clock::get);

        AwsCredentials first = credential.resolveCredentials();
        write("access-key-id", "AKIA-TWO", 2_000);
        write("secret-access-key", "secret-two", 2_000);
        AwsCredentials withinASecond = credential.resolveCredentials();
        clock.addAndGet(1_000);
        AwsCredentials rotated = credential.resolveCredentials();

        assertThat(first.accessKeyId()).isEqualTo("AKIA-ONE");
        assertThat(first.secretAccessKey()).isEqualTo("secret-one");
        assertThat(withinASecond).as("files looked at once a second").isSameAs(first);
        assertThat(rotated.accessKeyId()).isEqualTo("AKIA-TWO");
        assertThat(rotated.secretAccessKey()).isEqualTo("secret-two");
        assertThat(credential.toString()).doesNotContain("secret");
    }

    @Test
    void aSessionTokenFileMakesSessionCredentials() throws Exception {
        write("access-key-id", "ASIA-ONE", 1_000);
        write("secret-access-key", "s", 1_000);
        write("session-token", "token", 1_000);

        AwsCredentials c =
                new CredentialDirectory(dir.resolve("acme"), clock::get).resolveCredentials();

        assertThat(c).isInstanceOf(AwsSessionCredentials.class);
        assertThat(((AwsSessionCredentials) c).sessionToken()).isEqualTo("token");
    }

    @Test
    void aMissingOrEmptyFileFailsTheRequestNamingTheFileNeverTheSecret() throws Exception {
        write("access-key-id", "AKIA-ONE", 1_000);
        CredentialDirectory missing = new CredentialDirectory(dir.resolve("acme"), clock::get);
        assertThatThrownBy(missing::resolveCredentials)
                .isInstanceOf(SdkClientException.class)
                .hasMessageContaining("secret-access-key is missing");

        write("secret-access-key", "  \n", 1_000);
        CredentialDirectory empty = new CredentialDirectory(dir.resolve("acme"), clock::get);
        assertThatThrownBy(empty::resolveCredentials).hasMessageContaining("is empty");
    }
}
