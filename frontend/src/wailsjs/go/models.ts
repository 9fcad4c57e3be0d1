export namespace app {
	
	export class AssetCard {
	    id: string;
	    kind: string;
	    title: Record<string, string>;
	    alt: Record<string, string>;
	    tags: string[];
	    width: number;
	    height: number;
	    regions: string[];
	    expires: string;
	    expiry: string;
	    thumb: string;
	    local: boolean;
	    importedBy: string;
	    importedAt: string;
	
	    static createFrom(source: any = {}) {
	        return new AssetCard(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.title = source["title"];
	        this.alt = source["alt"];
	        this.tags = source["tags"];
	        this.width = source["width"];
	        this.height = source["height"];
	        this.regions = source["regions"];
	        this.expires = source["expires"];
	        this.expiry = source["expiry"];
	        this.thumb = source["thumb"];
	        this.local = source["local"];
	        this.importedBy = source["importedBy"];
	        this.importedAt = source["importedAt"];
	    }
	}
	export class AssetDetail {
	    id: string;
	    kind: string;
	    title: Record<string, string>;
	    alt: Record<string, string>;
	    tags: string[];
	    width: number;
	    height: number;
	    regions: string[];
	    expires: string;
	    expiry: string;
	    thumb: string;
	    local: boolean;
	    importedBy: string;
	    importedAt: string;
	    description: Record<string, string>;
	    focal?: library.Point;
	    credit: library.Credit;
	    image: string;
	    sha256: string;
	    path: string;
	
	    static createFrom(source: any = {}) {
	        return new AssetDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.title = source["title"];
	        this.alt = source["alt"];
	        this.tags = source["tags"];
	        this.width = source["width"];
	        this.height = source["height"];
	        this.regions = source["regions"];
	        this.expires = source["expires"];
	        this.expiry = source["expiry"];
	        this.thumb = source["thumb"];
	        this.local = source["local"];
	        this.importedBy = source["importedBy"];
	        this.importedAt = source["importedAt"];
	        this.description = source["description"];
	        this.focal = this.convertValues(source["focal"], library.Point);
	        this.credit = this.convertValues(source["credit"], library.Credit);
	        this.image = source["image"];
	        this.sha256 = source["sha256"];
	        this.path = source["path"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class AssetPage {
	    total: number;
	    items: AssetCard[];
	    tags: library.TagCount[];
	
	    static createFrom(source: any = {}) {
	        return new AssetPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.items = this.convertValues(source["items"], AssetCard);
	        this.tags = this.convertValues(source["tags"], library.TagCount);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BrandView {
	    name: string;
	    palette: library.Colour[];
	    fonts: library.Font[];
	    logos: library.Logo[];
	    tone: library.ToneRule[];
	    files: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new BrandView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.palette = this.convertValues(source["palette"], library.Colour);
	        this.fonts = this.convertValues(source["fonts"], library.Font);
	        this.logos = this.convertValues(source["logos"], library.Logo);
	        this.tone = this.convertValues(source["tone"], library.ToneRule);
	        this.files = source["files"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CampaignSummary {
	    id: string;
	    name: string;
	    template: string;
	    templateName: Record<string, string>;
	    status: string;
	    region: string;
	    locales: string[];
	    release: number;
	    rebase: boolean;
	    author: string;
	    updated: string;
	    sendAt: string;
	
	    static createFrom(source: any = {}) {
	        return new CampaignSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.template = source["template"];
	        this.templateName = source["templateName"];
	        this.status = source["status"];
	        this.region = source["region"];
	        this.locales = source["locales"];
	        this.release = source["release"];
	        this.rebase = source["rebase"];
	        this.author = source["author"];
	        this.updated = source["updated"];
	        this.sendAt = source["sendAt"];
	    }
	}
	export class CampaignList {
	    items: CampaignSummary[];
	    total: number;
	    damaged: string[];
	
	    static createFrom(source: any = {}) {
	        return new CampaignList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.items = this.convertValues(source["items"], CampaignSummary);
	        this.total = source["total"];
	        this.damaged = source["damaged"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CampaignQuery {
	    text: string;
	    status: string;
	
	    static createFrom(source: any = {}) {
	        return new CampaignQuery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.status = source["status"];
	    }
	}
	
	export class HQComment {
	    id: number;
	    byName: string;
	    at: string;
	    text: string;
	    slot: string;
	    locale: string;
	
	    static createFrom(source: any = {}) {
	        return new HQComment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.byName = source["byName"];
	        this.at = source["at"];
	        this.text = source["text"];
	        this.slot = source["slot"];
	        this.locale = source["locale"];
	    }
	}
	export class SignOffView {
	    by: string;
	    byName: string;
	    at: string;
	
	    static createFrom(source: any = {}) {
	        return new SignOffView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.by = source["by"];
	        this.byName = source["byName"];
	        this.at = source["at"];
	    }
	}
	export class LocaleStatus {
	    locale: string;
	    untranslated: string[];
	
	    static createFrom(source: any = {}) {
	        return new LocaleStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.locale = source["locale"];
	        this.untranslated = source["untranslated"];
	    }
	}
	export class ScopeView {
	    id: string;
	    name: Record<string, string>;
	    description: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new ScopeView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.description = source["description"];
	    }
	}
	export class OptionView {
	    id: string;
	    label: Record<string, string>;
	    value: Record<string, string>;
	    thumb: string;
	
	    static createFrom(source: any = {}) {
	        return new OptionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.label = source["label"];
	        this.value = source["value"];
	        this.thumb = source["thumb"];
	    }
	}
	export class SlotView {
	    id: string;
	    kind: string;
	    lock: string;
	    label: Record<string, string>;
	    help: Record<string, string>;
	    options: OptionView[];
	    limits: library.Limits;
	
	    static createFrom(source: any = {}) {
	        return new SlotView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.lock = source["lock"];
	        this.label = source["label"];
	        this.help = source["help"];
	        this.options = this.convertValues(source["options"], OptionView);
	        this.limits = this.convertValues(source["limits"], library.Limits);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CampaignView {
	    id: string;
	    name: string;
	    library: string;
	    release: number;
	    latest: number;
	    template: string;
	    templateName: Record<string, string>;
	    region: string;
	    regionName: Record<string, string>;
	    locales: string[];
	    audience: string;
	    sendAt: string;
	    status: string;
	    author: string;
	    created: string;
	    updated: string;
	    rev: number;
	    crops: Record<string, any>;
	    slots: SlotView[];
	    scopes: ScopeView[];
	    translation: LocaleStatus[];
	    sender: Record<string, string>;
	    values: Record<string, any>;
	    signOff?: SignOffView;
	    signOffVoided: boolean;
	    submission: string;
	    hqComments: HQComment[];
	
	    static createFrom(source: any = {}) {
	        return new CampaignView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.library = source["library"];
	        this.release = source["release"];
	        this.latest = source["latest"];
	        this.template = source["template"];
	        this.templateName = source["templateName"];
	        this.region = source["region"];
	        this.regionName = source["regionName"];
	        this.locales = source["locales"];
	        this.audience = source["audience"];
	        this.sendAt = source["sendAt"];
	        this.status = source["status"];
	        this.author = source["author"];
	        this.created = source["created"];
	        this.updated = source["updated"];
	        this.rev = source["rev"];
	        this.crops = source["crops"];
	        this.slots = this.convertValues(source["slots"], SlotView);
	        this.scopes = this.convertValues(source["scopes"], ScopeView);
	        this.translation = this.convertValues(source["translation"], LocaleStatus);
	        this.sender = source["sender"];
	        this.values = source["values"];
	        this.signOff = this.convertValues(source["signOff"], SignOffView);
	        this.signOffVoided = source["signOffVoided"];
	        this.submission = source["submission"];
	        this.hqComments = this.convertValues(source["hqComments"], HQComment);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class HubUpdate {
	    library: string;
	    name: string;
	    local: number;
	    remote: number;
	
	    static createFrom(source: any = {}) {
	        return new HubUpdate(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.library = source["library"];
	        this.name = source["name"];
	        this.local = source["local"];
	        this.remote = source["remote"];
	    }
	}
	export class HubUser {
	    name: string;
	    displayName: string;
	    role: string;
	    region: string;
	
	    static createFrom(source: any = {}) {
	        return new HubUser(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.displayName = source["displayName"];
	        this.role = source["role"];
	        this.region = source["region"];
	    }
	}
	export class HubStatus {
	    hubUrl: string;
	    signedIn: boolean;
	    user: HubUser;
	    keychain: string;
	    updates: HubUpdate[];
	    lastSync: string;
	    lastCheck: string;
	    error?: fault.Payload;
	    seq: number;
	
	    static createFrom(source: any = {}) {
	        return new HubStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.hubUrl = source["hubUrl"];
	        this.signedIn = source["signedIn"];
	        this.user = this.convertValues(source["user"], HubUser);
	        this.keychain = source["keychain"];
	        this.updates = this.convertValues(source["updates"], HubUpdate);
	        this.lastSync = source["lastSync"];
	        this.lastCheck = source["lastCheck"];
	        this.error = this.convertValues(source["error"], fault.Payload);
	        this.seq = source["seq"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class LibraryInfo {
	    id: string;
	    name: string;
	    version: number;
	    sample: boolean;
	    expires: string;
	    outdatedSince: string;
	    appliedAt: string;
	    signers: string[];
	    locales: string[];
	    regions: library.Region[];
	    assets: number;
	    templates: number;
	    snippets: number;
	
	    static createFrom(source: any = {}) {
	        return new LibraryInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.version = source["version"];
	        this.sample = source["sample"];
	        this.expires = source["expires"];
	        this.outdatedSince = source["outdatedSince"];
	        this.appliedAt = source["appliedAt"];
	        this.signers = source["signers"];
	        this.locales = source["locales"];
	        this.regions = this.convertValues(source["regions"], library.Region);
	        this.assets = source["assets"];
	        this.templates = source["templates"];
	        this.snippets = source["snippets"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class OutboxNote {
	    id: number;
	    by: string;
	    byName: string;
	    at: string;
	    text: string;
	    slot: string;
	    locale: string;
	    action: string;
	
	    static createFrom(source: any = {}) {
	        return new OutboxNote(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.by = source["by"];
	        this.byName = source["byName"];
	        this.at = source["at"];
	        this.text = source["text"];
	        this.slot = source["slot"];
	        this.locale = source["locale"];
	        this.action = source["action"];
	    }
	}
	export class OutboxStep {
	    state: string;
	    at: string;
	    by: string;
	
	    static createFrom(source: any = {}) {
	        return new OutboxStep(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.at = source["at"];
	        this.by = source["by"];
	    }
	}
	export class OutboxItem {
	    id: string;
	    campaignId: string;
	    campaignName: string;
	    region: string;
	    delivery: string;
	    attempts: number;
	    error?: fault.Payload;
	    hubState: string;
	    history: OutboxStep[];
	    comments: OutboxNote[];
	    submittedAt: string;
	    updatedAt: string;
	    seq: number;
	    withdrawAsked: boolean;
	
	    static createFrom(source: any = {}) {
	        return new OutboxItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.campaignId = source["campaignId"];
	        this.campaignName = source["campaignName"];
	        this.region = source["region"];
	        this.delivery = source["delivery"];
	        this.attempts = source["attempts"];
	        this.error = this.convertValues(source["error"], fault.Payload);
	        this.hubState = source["hubState"];
	        this.history = this.convertValues(source["history"], OutboxStep);
	        this.comments = this.convertValues(source["comments"], OutboxNote);
	        this.submittedAt = source["submittedAt"];
	        this.updatedAt = source["updatedAt"];
	        this.seq = source["seq"];
	        this.withdrawAsked = source["withdrawAsked"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class PackRequest {
	    assets: string[];
	    presets: string[];
	    dest: string;
	    campaign: string;
	    crops: Record<string, any>;
	
	    static createFrom(source: any = {}) {
	        return new PackRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.assets = source["assets"];
	        this.presets = source["presets"];
	        this.dest = source["dest"];
	        this.campaign = source["campaign"];
	        this.crops = source["crops"];
	    }
	}
	export class PackSummary {
	    path: string;
	    bytes: number;
	    files: number;
	    failed: number;
	    report: string;
	
	    static createFrom(source: any = {}) {
	        return new PackSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.bytes = source["bytes"];
	        this.files = source["files"];
	        this.failed = source["failed"];
	        this.report = source["report"];
	    }
	}
	export class PhotoFailed {
	    name: string;
	    error: fault.Payload;
	
	    static createFrom(source: any = {}) {
	        return new PhotoFailed(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.error = this.convertValues(source["error"], fault.Payload);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PhotoPresets {
	    id: string;
	    presets: string[];
	
	    static createFrom(source: any = {}) {
	        return new PhotoPresets(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.presets = source["presets"];
	    }
	}
	export class PhotoImport {
	    imported: AssetCard[];
	    existing: AssetCard[];
	    failed: PhotoFailed[];
	    tooSmall: PhotoPresets[];
	
	    static createFrom(source: any = {}) {
	        return new PhotoImport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.imported = this.convertValues(source["imported"], AssetCard);
	        this.existing = this.convertValues(source["existing"], AssetCard);
	        this.failed = this.convertValues(source["failed"], PhotoFailed);
	        this.tooSmall = this.convertValues(source["tooSmall"], PhotoPresets);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class PresetCrop {
	    preset: string;
	    name: Record<string, string>;
	    channel: string;
	    width: number;
	    height: number;
	    fit: string;
	    x: number;
	    y: number;
	    w: number;
	    h: number;
	    upscaled: boolean;
	    manual: boolean;
	
	    static createFrom(source: any = {}) {
	        return new PresetCrop(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.preset = source["preset"];
	        this.name = source["name"];
	        this.channel = source["channel"];
	        this.width = source["width"];
	        this.height = source["height"];
	        this.fit = source["fit"];
	        this.x = source["x"];
	        this.y = source["y"];
	        this.w = source["w"];
	        this.h = source["h"];
	        this.upscaled = source["upscaled"];
	        this.manual = source["manual"];
	    }
	}
	export class PreviewView {
	    url: string;
	    rev: number;
	    locale: string;
	    sender: string;
	    from: string;
	    subject: string;
	    preheader: string;
	    text: string;
	    bytes: number;
	    clipped: boolean;
	    problems: render.Problem[];
	
	    static createFrom(source: any = {}) {
	        return new PreviewView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.url = source["url"];
	        this.rev = source["rev"];
	        this.locale = source["locale"];
	        this.sender = source["sender"];
	        this.from = source["from"];
	        this.subject = source["subject"];
	        this.preheader = source["preheader"];
	        this.text = source["text"];
	        this.bytes = source["bytes"];
	        this.clipped = source["clipped"];
	        this.problems = this.convertValues(source["problems"], render.Problem);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RebasePlan {
	    from: number;
	    to: number;
	    changes: campaign.Change[];
	
	    static createFrom(source: any = {}) {
	        return new RebasePlan(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.to = source["to"];
	        this.changes = this.convertValues(source["changes"], campaign.Change);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SaveResult {
	    settings: settings.Settings;
	    restartNeeded: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SaveResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.settings = this.convertValues(source["settings"], settings.Settings);
	        this.restartNeeded = source["restartNeeded"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class Status {
	    version: string;
	    library?: LibraryInfo;
	    online: online.Status;
	    settingsPath: string;
	    dataDir: string;
	    defaultDataDir: string;
	    storage?: cache.Stats;
	    warnings: fault.Payload[];
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.library = this.convertValues(source["library"], LibraryInfo);
	        this.online = this.convertValues(source["online"], online.Status);
	        this.settingsPath = source["settingsPath"];
	        this.dataDir = source["dataDir"];
	        this.defaultDataDir = source["defaultDataDir"];
	        this.storage = this.convertValues(source["storage"], cache.Stats);
	        this.warnings = this.convertValues(source["warnings"], fault.Payload);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TemplateView {
	    id: string;
	    kind: string;
	    name: Record<string, string>;
	    description: Record<string, string>;
	    layout: string;
	    preview: string;
	    previewUrl: string;
	    slots: library.Slot[];
	
	    static createFrom(source: any = {}) {
	        return new TemplateView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.name = source["name"];
	        this.description = source["description"];
	        this.layout = source["layout"];
	        this.preview = source["preview"];
	        this.previewUrl = source["previewUrl"];
	        this.slots = this.convertValues(source["slots"], library.Slot);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace brandcheck {
	
	export class Finding {
	    rule: string;
	    severity: string;
	    locale: string;
	    slot: string;
	    code: string;
	    hint: string;
	    params: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new Finding(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rule = source["rule"];
	        this.severity = source["severity"];
	        this.locale = source["locale"];
	        this.slot = source["slot"];
	        this.code = source["code"];
	        this.hint = source["hint"];
	        this.params = source["params"];
	    }
	}
	export class Receipt {
	    rulesSha256: string;
	    campaignSha256: string;
	    findingsSha256: string;
	    today: string;
	    version: number;
	
	    static createFrom(source: any = {}) {
	        return new Receipt(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.rulesSha256 = source["rulesSha256"];
	        this.campaignSha256 = source["campaignSha256"];
	        this.findingsSha256 = source["findingsSha256"];
	        this.today = source["today"];
	        this.version = source["version"];
	    }
	}
	export class Report {
	    findings: Finding[];
	    errors: number;
	    warnings: number;
	    ready: boolean;
	    receipt: Receipt;
	
	    static createFrom(source: any = {}) {
	        return new Report(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.findings = this.convertValues(source["findings"], Finding);
	        this.errors = source["errors"];
	        this.warnings = source["warnings"];
	        this.ready = source["ready"];
	        this.receipt = this.convertValues(source["receipt"], Receipt);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace cache {
	
	export class Stats {
	    dir: string;
	    lsmBytes: number;
	    vlogBytes: number;
	
	    static createFrom(source: any = {}) {
	        return new Stats(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dir = source["dir"];
	        this.lsmBytes = source["lsmBytes"];
	        this.vlogBytes = source["vlogBytes"];
	    }
	}

}

export namespace campaign {
	
	export class Change {
	    kind: string;
	    slot?: string;
	    locale?: string;
	    value?: string;
	    code?: string;
	
	    static createFrom(source: any = {}) {
	        return new Change(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.slot = source["slot"];
	        this.locale = source["locale"];
	        this.value = source["value"];
	        this.code = source["code"];
	    }
	}
	export class Crop {
	    x: number;
	    y: number;
	    w: number;
	    h: number;
	
	    static createFrom(source: any = {}) {
	        return new Crop(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.x = source["x"];
	        this.y = source["y"];
	        this.w = source["w"];
	        this.h = source["h"];
	    }
	}
	export class Resolved {
	    slot: string;
	    kind: string;
	    lock: string;
	    value: string;
	    text: string;
	    option: string;
	    source: string;
	
	    static createFrom(source: any = {}) {
	        return new Resolved(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.slot = source["slot"];
	        this.kind = source["kind"];
	        this.lock = source["lock"];
	        this.value = source["value"];
	        this.text = source["text"];
	        this.option = source["option"];
	        this.source = source["source"];
	    }
	}

}

export namespace fault {
	
	export class Payload {
	    kind: string;
	    code: string;
	    op?: string;
	    params?: Record<string, string>;
	    detail: string;
	
	    static createFrom(source: any = {}) {
	        return new Payload(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.code = source["code"];
	        this.op = source["op"];
	        this.params = source["params"];
	        this.detail = source["detail"];
	    }
	}

}

export namespace library {
	
	export class Colour {
	    id: string;
	    name: Record<string, string>;
	    hex: string;
	    usage: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new Colour(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.hex = source["hex"];
	        this.usage = source["usage"];
	    }
	}
	export class Credit {
	    author: string;
	    source: string;
	    licence: string;
	
	    static createFrom(source: any = {}) {
	        return new Credit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.author = source["author"];
	        this.source = source["source"];
	        this.licence = source["licence"];
	    }
	}
	export class FontFile {
	    path: string;
	    weight: number;
	    style: string;
	
	    static createFrom(source: any = {}) {
	        return new FontFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.weight = source["weight"];
	        this.style = source["style"];
	    }
	}
	export class Font {
	    family: string;
	    role: string;
	    weights: number[];
	    files: FontFile[];
	    fallback: string;
	
	    static createFrom(source: any = {}) {
	        return new Font(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.family = source["family"];
	        this.role = source["role"];
	        this.weights = source["weights"];
	        this.files = this.convertValues(source["files"], FontFile);
	        this.fallback = source["fallback"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Limits {
	    required?: boolean;
	    maxLength?: number;
	    minWidth?: number;
	    minHeight?: number;
	    aspect?: string;
	    locales?: string[];
	
	    static createFrom(source: any = {}) {
	        return new Limits(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.required = source["required"];
	        this.maxLength = source["maxLength"];
	        this.minWidth = source["minWidth"];
	        this.minHeight = source["minHeight"];
	        this.aspect = source["aspect"];
	        this.locales = source["locales"];
	    }
	}
	export class Point {
	    x: number;
	    y: number;
	
	    static createFrom(source: any = {}) {
	        return new Point(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.x = source["x"];
	        this.y = source["y"];
	    }
	}
	export class LocalEdit {
	    title: string;
	    tags: string[];
	    focal?: Point;
	
	    static createFrom(source: any = {}) {
	        return new LocalEdit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.tags = source["tags"];
	        this.focal = this.convertValues(source["focal"], Point);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Logo {
	    id: string;
	    name: Record<string, string>;
	    variant: string;
	    path: string;
	    minWidthPx: number;
	    clearSpace: number;
	    background: string;
	
	    static createFrom(source: any = {}) {
	        return new Logo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.variant = source["variant"];
	        this.path = source["path"];
	        this.minWidthPx = source["minWidthPx"];
	        this.clearSpace = source["clearSpace"];
	        this.background = source["background"];
	    }
	}
	export class Option {
	    id: string;
	    label: Record<string, string>;
	    value: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new Option(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.label = source["label"];
	        this.value = source["value"];
	    }
	}
	
	export class Preset {
	    id: string;
	    name: Record<string, string>;
	    channel: string;
	    width: number;
	    height: number;
	    format: string;
	    quality?: number;
	    fit: string;
	
	    static createFrom(source: any = {}) {
	        return new Preset(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.channel = source["channel"];
	        this.width = source["width"];
	        this.height = source["height"];
	        this.format = source["format"];
	        this.quality = source["quality"];
	        this.fit = source["fit"];
	    }
	}
	export class Query {
	    text: string;
	    tags: string[];
	    kind: string;
	    region: string;
	    expiry: string;
	    offset: number;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new Query(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.text = source["text"];
	        this.tags = source["tags"];
	        this.kind = source["kind"];
	        this.region = source["region"];
	        this.expiry = source["expiry"];
	        this.offset = source["offset"];
	        this.limit = source["limit"];
	    }
	}
	export class Region {
	    id: string;
	    name: Record<string, string>;
	    countries: string[];
	    locales: string[];
	
	    static createFrom(source: any = {}) {
	        return new Region(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.countries = source["countries"];
	        this.locales = source["locales"];
	    }
	}
	export class Slot {
	    id: string;
	    kind: string;
	    lock: string;
	    label: Record<string, string>;
	    help?: Record<string, string>;
	    default?: Record<string, string>;
	    options?: Option[];
	    limits: Limits;
	
	    static createFrom(source: any = {}) {
	        return new Slot(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.lock = source["lock"];
	        this.label = source["label"];
	        this.help = source["help"];
	        this.default = source["default"];
	        this.options = this.convertValues(source["options"], Option);
	        this.limits = this.convertValues(source["limits"], Limits);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TagCount {
	    tag: string;
	    count: number;
	
	    static createFrom(source: any = {}) {
	        return new TagCount(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.tag = source["tag"];
	        this.count = source["count"];
	    }
	}
	export class ToneRule {
	    id: string;
	    text: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new ToneRule(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.text = source["text"];
	    }
	}

}

export namespace online {
	
	export class Status {
	    state: string;
	    hubUrl: string;
	    checkedAt: string;
	    reason?: string;
	    seq: number;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.state = source["state"];
	        this.hubUrl = source["hubUrl"];
	        this.checkedAt = source["checkedAt"];
	        this.reason = source["reason"];
	        this.seq = source["seq"];
	    }
	}

}

export namespace render {
	
	export class Problem {
	    code: string;
	    slot: string;
	    params?: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new Problem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.code = source["code"];
	        this.slot = source["slot"];
	        this.params = source["params"];
	    }
	}

}

export namespace settings {
	
	export class Settings {
	    hubUrl: string;
	    displayName: string;
	    language: string;
	    dataDir: string;
	    region: string;
	    hubUser: string;
	    lastSync: string;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.hubUrl = source["hubUrl"];
	        this.displayName = source["displayName"];
	        this.language = source["language"];
	        this.dataDir = source["dataDir"];
	        this.region = source["region"];
	        this.hubUser = source["hubUser"];
	        this.lastSync = source["lastSync"];
	    }
	}

}

export namespace task {
	
	export class Progress {
	    phase: string;
	    done: number;
	    total: number;
	    unit: string;
	    files?: number;
	    filesTotal?: number;
	
	    static createFrom(source: any = {}) {
	        return new Progress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.phase = source["phase"];
	        this.done = source["done"];
	        this.total = source["total"];
	        this.unit = source["unit"];
	        this.files = source["files"];
	        this.filesTotal = source["filesTotal"];
	    }
	}
	export class Update {
	    id: string;
	    kind: string;
	    state: string;
	    progress: Progress;
	    error?: fault.Payload;
	    seq: number;
	
	    static createFrom(source: any = {}) {
	        return new Update(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.state = source["state"];
	        this.progress = this.convertValues(source["progress"], Progress);
	        this.error = this.convertValues(source["error"], fault.Payload);
	        this.seq = source["seq"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

