// What the JSON Feed's `_bellwether` extension holds (its `about` URL points here, as JSON Feed asks).
import { Layout } from './layout.tsx';

export function FeedExtensionPage() {
  return (
    <Layout title="The _bellwether JSON Feed extension" active="" snapshotId={null}>
      <h1>
        The <code>_bellwether</code> JSON Feed extension
      </h1>
      <p>
        Every item of <a href="/feed.json">/feed.json</a> carries an object <code>_bellwether</code> (the feed too, with
        only <code>about</code> and <code>pack</code>):
      </p>
      <dl>
        <dt>
          <code>about</code>
        </dt>
        <dd>This page's URL.</dd>
        <dt>
          <code>kind</code>
        </dt>
        <dd>
          What fired: <code>indicator_shift</code>, <code>level_crossing</code>, <code>probability_move</code>,{' '}
          <code>deadline_approaching</code>, <code>deadline_passed</code> or <code>feed_failing</code>.
        </dd>
        <dt>
          <code>kind_name</code>
        </dt>
        <dd>The same in words, as the dashboard shows it.</dd>
        <dt>
          <code>question</code>
        </dt>
        <dd>
          The question (its pack id) the item is about. An instance tracking several questions has one feed per
          question, at <code>/questions/ID/feed.json</code>; <code>/feed.json</code> is the default question's.
        </dd>
        <dt>
          <code>probabilities</code>
        </dt>
        <dd>Every scenario's probability (0–1) at the snapshot behind the item, or null.</dd>
        <dt>
          <code>scenario</code>, <code>change</code>
        </dt>
        <dd>For a move: the scenario and its change in probability (−1 to 1), when known.</dd>
        <dt>
          <code>stories</code>
        </dt>
        <dd>The stories behind the item: title, link to the original, publication time.</dd>
      </dl>
    </Layout>
  );
}
