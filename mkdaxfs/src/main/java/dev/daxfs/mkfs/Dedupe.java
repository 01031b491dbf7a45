package dev.daxfs.mkfs;

import dev.daxfs.format.Content;
import dev.daxfs.format.Node;
import dev.daxfs.nativemem.Interruption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * --dedupe: regular files with identical contents (same size and SHA-256) are given one Content,
 * so the layout stores the bytes once. Only files whose size another file also has are hashed,
 * on all the threads given.
 */
final class Dedupe {
  /** The tree with shared contents, how many files now share another's extent, and the bytes saved. */
  record Result(Node.Directory root, int files, long bytesSaved) {}

  private record Key(long size, ByteBuffer digest) {}

  private Dedupe() {}

  /** Hashes on {@code threads} threads; with {@code quiet} false, a bar on a terminal shows it. */
  static Result apply(Node.Directory root, int threads, boolean quiet) throws IOException {
    List<Node.File> files = new ArrayList<>();
    forEachFile(root, files::add);
    Map<Long, Integer> sizeCounts = new HashMap<>();
    Map<Content, Long> candidates = new IdentityHashMap<>();
    for (Node.File f : files) {
      if (f.size() > 0) {
        sizeCounts.merge(f.size(), 1, Integer::sum);
      }
    }
    for (Node.File f : files) {
      if (f.size() > 0 && sizeCounts.get(f.size()) > 1) {
        candidates.put(f.content(), f.size());
      }
    }
    Map<Content, Key> keys = hash(candidates, threads, quiet);
    // The first content seen for each key stands for all; any choice gives the same bytes.
    Map<Key, Content> first = new HashMap<>();
    Map<Content, Content> replace = new IdentityHashMap<>();
    long saved = 0;
    for (Node.File f : files) {
      Key k = keys.get(f.content());
      if (k == null || replace.containsKey(f.content())) {
        continue;
      }
      Content canonical = first.putIfAbsent(k, f.content());
      if (canonical != null && !canonical.equals(f.content())) {
        replace.put(f.content(), canonical);
        saved += f.size();
      }
    }
    int shared = 0;
    for (Node.File f : files) {
      if (replace.containsKey(f.content())) {
        shared++;
      }
    }
    return new Result(replace.isEmpty() ? root : rebuild(root, replace), shared, saved);
  }

  private static Map<Content, Key> hash(Map<Content, Long> candidates, int threads, boolean quiet)
      throws IOException {
    long total = candidates.values().stream().mapToLong(Long::longValue).sum();
    ProgressBar bar = ProgressBar.onTerminal(quiet, "hashing", candidates.size(), total);
    AtomicLong files = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    ForkJoinPool pool = new ForkJoinPool(threads);
    // Interrupted, the bar is erased as when done.
    try (Interruption.Registration erase = bar == null ? () -> { } : Interruption.onEnd(bar::finish)) {
      Future<Map<Content, Key>> keys = pool.submit(() -> candidates.entrySet().parallelStream().collect(
          Collectors.toConcurrentMap(Map.Entry::getKey, e -> {
            Key k = key(e.getKey(), e.getValue());
            files.incrementAndGet();
            bytes.addAndGet(e.getValue());
            return k;
          })));
      while (true) {
        try {
          return keys.get(100, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          if (bar != null) {
            bar.show(files.get(), bytes.get());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InputException("interrupted while hashing");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UncheckedIOException u) {
        throw u.getCause();
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
      if (bar != null) {
        bar.finish();
      }
    }
  }

  private static Key key(Content content, long size) {
    DigestSink sink = new DigestSink();
    try {
      content.copyTo(sink, 0, size);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Key(size, ByteBuffer.wrap(sink.finish()));
  }

  private static void forEachFile(Node.Directory root, Consumer<Node.File> action) {
    Deque<Node.Directory> work = new ArrayDeque<>();
    work.push(root);
    while (!work.isEmpty()) {
      for (Node n : work.pop().children()) {
        switch (n) {
          case Node.Directory d -> work.push(d);
          case Node.File f -> action.accept(f);
          case Node.Symlink s -> { }
        }
      }
    }
  }

  /** A copy of the tree with contents replaced, built without recursion. */
  private static Node.Directory rebuild(Node.Directory root, Map<Content, Content> replace) {
    record Frame(Node.Directory dir, List<Node> built, int[] next, Frame parent) {}
    Deque<Frame> stack = new ArrayDeque<>();
    stack.push(new Frame(root, new ArrayList<>(), new int[1], null));
    Node.Directory result = null;
    while (!stack.isEmpty()) {
      Frame f = stack.peek();
      List<Node> kids = f.dir.children();
      if (f.next[0] < kids.size()) {
        switch (kids.get(f.next[0]++)) {
          case Node.Directory d -> stack.push(new Frame(d, new ArrayList<>(), new int[1], f));
          case Node.File file when replace.containsKey(file.content()) -> f.built.add(new Node.File(file.name(),
              file.mode(), file.uid(), file.gid(), file.size(), replace.get(file.content())));
          case Node n -> f.built.add(n);
        }
        continue;
      }
      stack.pop();
      Node.Directory d = new Node.Directory(f.dir.name(), f.dir.mode(), f.dir.uid(), f.dir.gid(), f.built);
      if (f.parent == null) {
        result = d;
      } else {
        f.parent.built.add(d);
      }
    }
    return result;
  }
}
