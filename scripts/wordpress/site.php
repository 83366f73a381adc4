<?php
// site.php drives the fixture WordPress through its own PHP API (the same
// functions the admin screens call), run by build.sh:
//
//   php site.php install           install WordPress in French and fill it
//   php site.php theme SLUG        activate a theme
//   php site.php expected SLUG...  print the records expected of each post,
//                                  and the pages that are not articles (JSON)
//   php site.php versions SLUG...  print WordPress's, the themes' and the
//                                  packages' versions (JSON)
//
// Environment: WORDPRESS_CONFIG (Debian's wp-config.php reads
// /etc/wordpress/config-$WORDPRESS_CONFIG.php), FOLIO_WP_BASE (the site's
// address, http://127.0.0.1:PORT), FOLIO_WP_PLACEHOLDER (the host that stands
// for 127.0.0.1:PORT in the saved files).

require __DIR__ . '/content.php';

$folio_base = getenv('FOLIO_WP_BASE') ?: 'http://127.0.0.1:8781';
$folio_placeholder = getenv('FOLIO_WP_PLACEHOLDER') ?: 'wpreal.invalid';
$folio_command = $argv[1] ?? '';

// wp-config.php reads the host and the config name from the request.
$_SERVER['WORDPRESS_CONFIG'] = getenv('WORDPRESS_CONFIG') ?: 'folio-fixtures';
$_SERVER['HTTP_HOST'] = parse_url($folio_base, PHP_URL_HOST) . ':' . parse_url($folio_base, PHP_URL_PORT);
$_SERVER['SERVER_NAME'] = parse_url($folio_base, PHP_URL_HOST);
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['REQUEST_METHOD'] = 'GET';
if ($folio_command === 'install') {
	define('WP_INSTALLING', true);
}
require '/usr/share/wordpress/wp-load.php';

function fail(string $msg): void {
	fwrite(STDERR, "site.php: $msg\n");
	exit(1);
}

function check($result, string $what) {
	if (is_wp_error($result)) {
		fail("$what: " . $result->get_error_message());
	}
	if ($result === false || $result === 0) {
		fail("$what failed");
	}
	return $result;
}

// portable writes a URL of the site with the placeholder host, as the saved
// pages have it.
function portable(string $url): string {
	global $folio_base, $folio_placeholder;
	return str_replace($folio_base, 'http://' . $folio_placeholder, $url);
}

function paragraph_block(string $text): string {
	return "<!-- wp:paragraph -->\n<p>" . esc_html($text) . "</p>\n<!-- /wp:paragraph -->";
}

function heading_block(string $text): string {
	return "<!-- wp:heading -->\n<h2>" . esc_html($text) . "</h2>\n<!-- /wp:heading -->";
}

function source_block(string $url): string {
	return "<!-- wp:paragraph -->\n<p><a href=\"" . esc_url($url) . "\">La source</a></p>\n<!-- /wp:paragraph -->";
}

// post_plan says, for post $i of $n, everything site.php makes of it beyond
// folio_posts(): author, date, body blocks, source, comments.
function post_plan(int $i, array $row): array {
	[$title, $cat, $tags, $subject, $place] = $row;
	mt_srand(FOLIO_SEED + $i);
	$sentences = folio_sentences();
	$fill = fn(string $s) => str_replace(['{S}', '{L}'], [$subject, $place], $s);

	// One post every 1.6 days from 20 September 2022, across the end of
	// summer time (30 October): some just after midnight in Paris, whose
	// UTC day is the day before.
	$day = (new DateTimeImmutable('2022-09-20 00:00:00', new DateTimeZone('Europe/Paris')))
		->modify('+' . (int) round($i * 1.6) . ' days');
	$midnight = [2 => '00:20', 7 => '00:20', 13 => '00:05', 19 => '00:20', 26 => '00:40', 33 => '00:20', 38 => '00:20'];
	$times = ['08:15', '09:30', '11:45', '14:10', '16:40', '18:05', '20:30', '22:50'];
	$time = $midnight[$i] ?? $times[$i % count($times)];
	$date = $day->format('Y-m-d') . ' ' . $time . ':00';

	// Body: a lead naming the subject, then two to six paragraphs of two to
	// four sentences; a sub-heading in every fourth post.
	$blocks = [];
	$blocks[] = ['p', sprintf('%s : %s', $place, $fill(
		'{S} était au cœur de l’actualité cette semaine, et les prochains jours s’annoncent décisifs.'))];
	$count = 2 + mt_rand(0, 4);
	for ($p = 0; $p < $count; $p++) {
		if ($i % 4 === 3 && $p === 1) {
			$blocks[] = ['h2', folio_headings()[$i % count(folio_headings())]];
		}
		$picked = [];
		$want = 2 + mt_rand(0, 2);
		while (count($picked) < $want) {
			$k = mt_rand(0, count($sentences) - 1);
			$picked[$k] = $fill($sentences[$k]);
		}
		$blocks[] = ['p', implode(' ', $picked)];
	}

	$authors = folio_authors();
	$author = $i >= 36 ? 0 : $i % count($authors);

	// Comments on every fourth post: one to three, with replies in threads
	// (so that "Répondre" ?replytocom= links appear), some by the post's
	// own author.
	$comments = [];
	if ($i % 4 === 1) {
		$commenters = folio_commenters();
		$texts = folio_comment_texts();
		$replies = folio_reply_texts();
		$top = 1 + ($i * 7) % 3;
		$at = new DateTimeImmutable($date, new DateTimeZone('Europe/Paris'));
		for ($c = 0; $c < $top; $c++) {
			$at = $at->modify('+' . (3 + $c * 2) . ' hours');
			$who = $commenters[($i + $c) % count($commenters)];
			$comments[] = ['parent' => null, 'name' => $who[0], 'email' => $who[1], 'user' => null,
				'text' => $texts[($i + 3 * $c) % count($texts)], 'date' => $at->format('Y-m-d H:i:s')];
			$parent = count($comments) - 1;
			if ($c === 0 && $i % 8 === 5) {
				// The post's author answers the first comment.
				$at = $at->modify('+1 hour');
				$comments[] = ['parent' => $parent, 'name' => null, 'email' => null, 'user' => $author,
					'text' => $replies[3 + ($i % 2)], 'date' => $at->format('Y-m-d H:i:s')];
			}
			if ($c === 1) {
				// A reader answers, and another answers them.
				$at = $at->modify('+2 hours');
				$who = $commenters[($i + $c + 2) % count($commenters)];
				$comments[] = ['parent' => $parent, 'name' => $who[0], 'email' => $who[1], 'user' => null,
					'text' => $replies[$i % 3], 'date' => $at->format('Y-m-d H:i:s')];
				if ($i % 2 === 1) {
					$at = $at->modify('+30 minutes');
					$who = $commenters[($i + $c + 4) % count($commenters)];
					$comments[] = ['parent' => count($comments) - 1, 'name' => $who[0], 'email' => $who[1], 'user' => null,
						'text' => $replies[($i + 1) % 3], 'date' => $at->format('Y-m-d H:i:s')];
				}
			}
		}
	}

	return [
		'title' => $title,
		'slug' => sanitize_title($title),
		'category' => $cat,
		'tags' => $tags,
		'author' => $author,
		'date' => $date,
		'blocks' => $blocks,
		// Every other post ends with a "La source" link to the original.
		'source' => $i % 2 === 0 ? 'https://actualites.example/2022/' . sanitize_title($title) . '/' : '',
		'comments' => $comments,
		// Comments are closed on a few posts, comments shown or not.
		'comments_open' => $i % 10 !== 9,
	];
}

function install(): void {
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';
	// No mail: wp_install() writes to the admin, and there is no MTA.
	add_filter('pre_wp_mail', '__return_false');
	if (is_blog_installed()) {
		fail('WordPress is already installed in this database; build.sh starts from an empty one');
	}
	$result = wp_install('Le Fil de l’actu', 'admin', 'admin@fil-actu.example', true, '', 'folio-admin', 'fr_FR');
	check($result, 'wp_install');

	// The source site's settings.
	update_option('WPLANG', 'fr_FR');
	update_option('timezone_string', 'Europe/Paris');
	update_option('gmt_offset', '');
	update_option('blogdescription', 'L’actualité décryptée chaque jour');
	update_option('blog_public', 1);
	update_option('posts_per_page', 10);
	update_option('posts_per_rss', 10);
	update_option('rss_use_excerpt', 0);
	update_option('thread_comments', 1);
	update_option('thread_comments_depth', 5);
	update_option('page_comments', 0);
	update_option('comment_moderation', 0);
	update_option('comment_previously_approved', 0);
	update_option('default_pingback_flag', 0);
	update_option('default_ping_status', 'closed');
	global $wp_rewrite;
	$wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%day%/%postname%/');
	$wp_rewrite->flush_rules(false);

	// Remove what wp_install creates ("Bonjour tout le monde !", the sample
	// page and the privacy page draft) so that the site holds only what is
	// made here.
	foreach (get_posts(['post_type' => ['post', 'page'], 'post_status' => 'any', 'numberposts' => -1]) as $p) {
		wp_delete_post($p->ID, true);
	}

	// Content goes in as an editor with unfiltered_html would write it.
	kses_remove_filters();

	$users = [];
	foreach (folio_authors() as $a) {
		$id = check(wp_insert_user([
			'user_login' => $a['login'],
			'user_pass' => 'folio-' . $a['login'],
			'user_email' => $a['login'] . '@fil-actu.example',
			'first_name' => $a['first'],
			'last_name' => $a['last'],
			'display_name' => $a['display'],
			'nickname' => $a['display'],
			'description' => $a['bio'],
			'role' => 'author',
		]), 'insert user ' . $a['login']);
		$users[] = $id;
	}

	$cats = [];
	foreach (folio_categories() as $slug => $name) {
		$term = check(wp_insert_term($name, 'category', ['slug' => $slug]), "insert category $slug");
		$cats[$slug] = $term['term_id'];
	}

	$rows = folio_posts();
	foreach ($rows as $i => $row) {
		$plan = post_plan($i, $row);
		$blocks = [];
		foreach ($plan['blocks'] as [$kind, $text]) {
			$blocks[] = $kind === 'h2' ? heading_block($text) : paragraph_block($text);
		}
		if ($plan['source'] !== '') {
			$blocks[] = source_block($plan['source']);
		}
		$id = check(wp_insert_post([
			'post_type' => 'post',
			'post_status' => 'publish',
			'post_title' => $plan['title'],
			'post_name' => $plan['slug'],
			'post_content' => implode("\n\n", $blocks),
			'post_date' => $plan['date'],
			'post_date_gmt' => get_gmt_from_date($plan['date']),
			'post_author' => $users[$plan['author']],
			'post_category' => [$cats[$plan['category']]],
			'tags_input' => $plan['tags'],
			// Closed from the start: closing later would date the post's
			// last change, and the feeds' lastBuildDate, to the build.
			'comment_status' => $plan['comments_open'] ? 'open' : 'closed',
			'ping_status' => 'closed',
		], true), 'insert post ' . $plan['slug']);
		// What the body says, kept with the post for the expected records.
		update_post_meta($id, '_folio_blocks', wp_slash(wp_json_encode($plan['blocks'])));
		update_post_meta($id, '_folio_source', $plan['source']);

		$ids = [];
		foreach ($plan['comments'] as $k => $c) {
			$fields = [
				'comment_post_ID' => $id,
				'comment_content' => $c['text'],
				'comment_date' => $c['date'],
				'comment_date_gmt' => get_gmt_from_date($c['date']),
				'comment_approved' => 1,
				'comment_type' => 'comment',
				'comment_parent' => $c['parent'] === null ? 0 : $ids[$c['parent']],
				'comment_author_url' => '',
			];
			if ($c['user'] !== null) {
				$u = get_userdata($users[$c['user']]);
				$fields += ['user_id' => $u->ID, 'comment_author' => $u->display_name, 'comment_author_email' => $u->user_email];
			} else {
				$fields += ['user_id' => 0, 'comment_author' => $c['name'], 'comment_author_email' => $c['email']];
			}
			$ids[$k] = check(wp_insert_comment($fields), "insert comment on $id");
		}
	}

	foreach (folio_pages() as $n => [$slug, $title, $paras]) {
		check(wp_insert_post([
			'post_type' => 'page',
			'post_status' => 'publish',
			'post_title' => $title,
			'post_name' => $slug,
			'post_content' => implode("\n\n", array_map('paragraph_block', $paras)),
			'post_date' => '2022-09-01 10:0' . $n . ':00',
			'post_author' => $users[0],
			'menu_order' => $n,
			'comment_status' => 'closed',
		], true), "insert page $slug");
	}
}

// theme_shows_post_navigation reads, in the theme's own files, whether its
// single post template prints links to the previous and next posts: a
// classic theme calls the_post_navigation() in single.php, a block theme
// has a post-navigation-link block in templates/single.html or in the parts
// and patterns it includes.
function theme_shows_post_navigation(WP_Theme $theme): bool {
	$dir = $theme->get_stylesheet_directory();
	if (!$theme->is_block_theme()) {
		return str_contains((string) file_get_contents("$dir/single.php"), 'the_post_navigation(');
	}
	$seen = [];
	$queue = ["$dir/templates/single.html"];
	while ($queue) {
		$file = array_shift($queue);
		if (isset($seen[$file]) || !is_file($file)) {
			continue;
		}
		$seen[$file] = true;
		$src = (string) file_get_contents($file);
		if (str_contains($src, 'wp:post-navigation-link')) {
			return true;
		}
		preg_match_all('/wp:template-part \{[^}]*"slug":"([a-z0-9-]+)"/', $src, $parts);
		foreach ($parts[1] as $slug) {
			$queue[] = "$dir/parts/$slug.html";
		}
		preg_match_all('/wp:pattern \{[^}]*"slug":"[a-z0-9-]+\/([a-z0-9-]+)"/', $src, $patterns);
		foreach ($patterns[1] as $slug) {
			$queue[] = "$dir/patterns/$slug.php";
		}
	}
	return false;
}

function neighbour($p): ?array {
	// get_previous_post() and get_next_post() give "" at either end.
	if (!($p instanceof WP_Post)) {
		return null;
	}
	return ['url' => portable(get_permalink($p)), 'title' => html_entity_decode(get_the_title($p), ENT_QUOTES, 'UTF-8')];
}

// expected prints what a reader sees of each post, read back from
// WordPress (names, dates, links) and from what install() wrote (the body's
// blocks, the source link).
function expected(array $themes): void {
	global $post;
	$posts = [];
	$all = get_posts(['post_type' => 'post', 'numberposts' => -1, 'orderby' => 'date', 'order' => 'ASC']);
	foreach ($all as $p) {
		$post = $p;
		setup_postdata($p);
		$cats = array_map(fn($t) => $t->name, get_the_category($p->ID));
		$tags = array_map(fn($t) => $t->name, get_the_tags($p->ID) ?: []);
		$author = get_userdata($p->post_author);
		$body = [];
		foreach (json_decode(get_post_meta($p->ID, '_folio_blocks', true), true) as [$kind, $text]) {
			$body[] = $text;
		}
		$comments = [];
		foreach (get_comments(['post_id' => $p->ID, 'status' => 'approve', 'orderby' => 'comment_ID', 'order' => 'ASC']) as $c) {
			$comments[] = [
				'id' => (int) $c->comment_ID,
				'author' => $c->comment_author,
				'text' => $c->comment_content,
				'parent' => (int) $c->comment_parent,
			];
		}
		$posts[] = [
			'url' => portable(get_permalink($p)),
			'id' => $p->ID,
			'title' => html_entity_decode(get_the_title($p), ENT_QUOTES, 'UTF-8'),
			'published' => get_post_time(DATE_RFC3339, false, $p),
			'published_utc' => get_post_time(DATE_RFC3339, true, $p),
			'category' => $cats[0] ?? '',
			'categories' => $cats,
			'tags' => $tags,
			'author' => $author->display_name,
			'author_has_bio' => $author->description !== '',
			'body' => $body,
			'source_url' => get_post_meta($p->ID, '_folio_source', true),
			'previous' => neighbour(get_previous_post()),
			'next' => neighbour(get_next_post()),
			'comments_open' => comments_open($p),
			'comments' => $comments,
		];
	}
	wp_reset_postdata();

	// Pages that are not articles: the home page and its pages, the
	// category, tag, author and date archives and theirs, the static pages.
	$per = (int) get_option('posts_per_page');
	$non = [];
	$listing = function (string $kind, string $url, int $count) use (&$non, $per) {
		global $wp_rewrite;
		$pages = max(1, (int) ceil($count / $per));
		for ($n = 1; $n <= $pages; $n++) {
			$u = $n === 1 ? $url : trailingslashit($url) . $wp_rewrite->pagination_base . "/$n/";
			$non[] = ['url' => portable($u), 'kind' => $n === 1 ? $kind : "$kind page $n"];
		}
	};
	$listing('home', home_url('/'), count($all));
	foreach (get_categories(['hide_empty' => true]) as $t) {
		$listing('category', get_category_link($t), $t->count);
	}
	foreach (get_tags(['hide_empty' => true]) as $t) {
		$listing('tag', get_tag_link($t), $t->count);
	}
	foreach (get_users(['has_published_posts' => ['post']]) as $u) {
		$listing('author', get_author_posts_url($u->ID), count_user_posts($u->ID, 'post', true));
	}
	$years = $months = $days = [];
	foreach ($all as $p) {
		[$y, $m, $d] = explode('-', substr($p->post_date, 0, 10));
		$years[$y] = ($years[$y] ?? 0) + 1;
		$months["$y-$m"] = ($months["$y-$m"] ?? 0) + 1;
		$days["$y-$m-$d"] = ($days["$y-$m-$d"] ?? 0) + 1;
	}
	foreach ($years as $y => $n) {
		$listing('year', get_year_link($y), $n);
	}
	foreach ($months as $ym => $n) {
		[$y, $m] = explode('-', $ym);
		$listing('month', get_month_link($y, $m), $n);
	}
	foreach ($days as $ymd => $n) {
		[$y, $m, $d] = explode('-', $ymd);
		$listing('day', get_day_link($y, $m, $d), $n);
	}
	foreach (get_pages() as $pg) {
		$non[] = ['url' => portable(get_permalink($pg)), 'kind' => 'page', 'title' => $pg->post_title];
	}

	$nav = [];
	foreach ($themes as $slug) {
		$nav[$slug] = theme_shows_post_navigation(wp_get_theme($slug));
	}
	echo wp_json_encode([
		'site' => 'http://' . $GLOBALS['folio_placeholder'],
		'time_zone' => get_option('timezone_string'),
		'post_navigation' => $nav,
		'posts' => $posts,
		'non_articles' => $non,
	], JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
}

function versions(array $themes): void {
	global $wp_version;
	$t = [];
	foreach ($themes as $slug) {
		$theme = wp_get_theme($slug);
		$t[$slug] = ['name' => $theme->get('Name'), 'version' => $theme->get('Version')];
	}
	$packages = [];
	$out = shell_exec("dpkg-query -W -f '\${Package} \${Version}\\n' wordpress wordpress-l10n " .
		'wordpress-theme-twentytwentyone wordpress-theme-twentytwentytwo wordpress-theme-twentytwentythree ' .
		'apache2 libapache2-mod-php mariadb-server 2>/dev/null');
	foreach (explode("\n", trim((string) $out)) as $line) {
		if ($line !== '') {
			[$name, $version] = explode(' ', $line, 2);
			$packages[$name] = $version;
		}
	}
	echo wp_json_encode([
		'wordpress' => $wp_version,
		'locale' => get_locale(),
		'php' => PHP_VERSION,
		'themes' => $t,
		'debian_packages' => $packages,
	], JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
}

switch ($folio_command) {
	case 'install':
		install();
		break;
	case 'theme':
		$slug = $argv[2] ?? '';
		if (!wp_get_theme($slug)->exists()) {
			fail("no theme $slug");
		}
		switch_theme($slug);
		break;
	case 'expected':
		expected(array_slice($argv, 2));
		break;
	case 'versions':
		versions(array_slice($argv, 2));
		break;
	default:
		fail('usage: site.php install | theme SLUG | expected SLUG... | versions SLUG...');
}
